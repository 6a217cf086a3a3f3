-- Which rejected interviewees still need a call today? A worklist, not a period figure.
-- One row per overdue or pending rejected interviewed application rejected within the last $call_list_days, the longest waiting first.
-- Params: $department $recruiter $job $source $as_of $notice_sla_days $call_list_days (no period: a narrow one must not hide anyone)
with vendors as (
    select origin, arg_max(format, load_id) as format from loads group by origin
),

waiting as (
    select * from closed_facts
    where status = 'rejected' and interviewed and notice_kind = 'none'
      and closed_at <= $as_of
      and closed_at >= $as_of - to_seconds(cast($call_list_days as double) * 86400)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        w.application_id, w.candidate_id, w.candidate_name, w.candidate_phone as phone,
        w.candidate_email as email, coalesce(w.job_title, w.job_id) as job_title,
        w.recruiter_id, coalesce(w.recruiter_name, w.recruiter_id) as recruiter_name,
        w.closed_at,
        round((epoch($as_of) - epoch(w.closed_at)) / 86400, 1) as days_waiting,
        case when $as_of - w.closed_at > to_seconds(cast($notice_sla_days as double) * 86400)
             then 'overdue' else 'pending' end as status,
        coalesce(w.recruiter_name, w.recruiter_id, 'Unassigned') as recruiter,
        w.origin,
        case when v.format like '%greenhouse%' then 'greenhouse'
             when v.format like '%lever%' then 'lever' end as ats
    from waiting w
    left join vendors v using (origin)
)

select * from final order by closed_at, candidate_name, application_id

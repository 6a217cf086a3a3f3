-- Which rejected interviewees still need a call today?
-- One row per overdue or pending rejected interviewed application, the longest waiting first.
-- Params: $date_from $date_to (on closed_at) $department $recruiter $job $source $as_of $notice_sla_days
with waiting as (
    select * from closed_facts
    where status = 'rejected' and interviewed and notice_kind = 'none'
      and in_period(closed_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        w.candidate_name as candidate, w.candidate_phone as phone, w.candidate_email as email,
        coalesce(w.job_title, w.job_id) as job,
        coalesce(w.recruiter_name, w.recruiter_id, 'Unassigned') as recruiter,
        w.recruiter_id,
        cast(w.closed_at as date) as rejected_on,
        floor((epoch($as_of) - epoch(w.closed_at)) / 86400)::int as days_waiting,
        case when $as_of - w.closed_at > to_seconds(cast($notice_sla_days as double) * 86400)
             then 'overdue' else 'pending' end as notice_status,
        w.application_id, w.origin
    from waiting w
)

select * from final order by rejected_on, candidate, application_id

-- Which rejections do the rejection-notice figures count, and how was each told?
-- One row per rejected application closed in the period, the most recent first.
-- Params: $date_from $date_to (on closed_at) $department $recruiter $job $source $as_of $notice_sla_days
with rejected as (
    select * from closed_facts
    where status = 'rejected' and in_period(closed_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        application_id, candidate_name as candidate,
        coalesce(job_title, job_id) as job, department,
        coalesce(recruiter_name, recruiter_id, 'Unassigned') as recruiter, recruiter_id,
        cast(closed_at as date) as rejected_on, interviewed,
        case notice_kind when 'call' then 'Call' when 'personal_email' then 'Personal email'
             when 'automated' then 'Automated' when 'none' then 'Not told' end as told,
        notice_lag_hours / 24 as notice_lag_days,
        case when notice_kind = 'none' and interviewed
             then if($as_of - closed_at > to_seconds(cast($notice_sla_days as double) * 86400),
                     'Overdue', 'Within SLA') end as still_to_tell
    from rejected
)

select * from final order by rejected_on desc, application_id

-- Which applications do the first-response figures count, and when was each first answered?
-- One row per application applied in the period, the most recent first.
-- Params: $date_from $date_to (on applied_at) $department $recruiter $job $source $as_of
with applications as (
    select * from app_facts
    where in_period(applied_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        application_id, coalesce(job_title, job_id) as job, department,
        coalesce(recruiter_name, recruiter_id, 'Unassigned') as recruiter, recruiter_id, source,
        cast(applied_at as date) as applied_on, first_response_hours / 24 as first_response_days,
        status,
        -- due for the 14-day rate, as in first_response.sql
        comms_known and applied_at <= $as_of - interval 14 days as due_14d
    from applications
)

select * from final order by applied_on desc, application_id

-- Which withdrawals do the withdrawal figures count, and did the candidate tell us?
-- One row per application withdrawn in the period, the most recent first.
-- Params: $date_from $date_to (on closed_at) $department $recruiter $job $source
with withdrawn as (
    select * from closed_facts
    where status = 'withdrawn' and in_period(closed_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        application_id, coalesce(job_title, job_id) as job, department,
        coalesce(recruiter_name, recruiter_id, 'Unassigned') as recruiter, recruiter_id, source,
        cast(closed_at as date) as withdrawn_on,
        case when withdrawal_notice then 'Yes' when not withdrawal_notice then 'No' end as told_us
    from withdrawn
)

select * from final order by withdrawn_on desc, application_id

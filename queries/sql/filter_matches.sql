-- How many applications match the department, recruiter, job and source filters, in any period?
-- One row: applications (0 when the combination has no data at all).
-- Params: $department $recruiter $job $source
with apps as (
    select department, recruiter_id, job_id, source from app_facts
),

final as (
    select count(*) filter (
        where matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
    ) as applications
    from apps
)

select * from final

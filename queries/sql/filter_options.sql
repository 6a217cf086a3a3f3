-- Which values can each filter take?
-- One row per filter and value, with the label to show.
-- Params: none
with final as (
    select distinct 'department' as filter, department as value, department as label
    from app_facts where department is not null
    union all
    select distinct 'recruiter', coalesce(recruiter_id, ''),
        coalesce(recruiter_name, recruiter_id, 'Unassigned') from app_facts
    union all
    select distinct 'job', job_id, coalesce(job_title, job_id) from app_facts where job_id is not null
    union all
    select distinct 'source', source, source from app_facts where source is not null
)

select * from final order by filter, label, value

-- The sidebar's choices and the data sources, read on every page.
create or replace table filter_values as
with apps as (
    select department, coalesce(recruiter_id, '') as recruiter, recruiter_name, recruiter_id,
        job_id, job_title, source
    from app_facts
)
select distinct 'department' as filter, department as value, department as label
from apps where department is not null
union all
select distinct 'recruiter', recruiter, coalesce(recruiter_name, recruiter_id, 'Unassigned') from apps
union all
select distinct 'job', job_id, coalesce(job_title, job_id) from apps where job_id is not null
union all
select distinct 'source', source, source from apps where source is not null;

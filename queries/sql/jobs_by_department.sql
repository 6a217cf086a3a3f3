-- Which jobs does each department have (so that the Job filter can follow the Department)?
-- One row per job and department ('' for a job without one).
-- Params: none
with apps as (
    select distinct job_id, department from app_facts where job_id is not null
),

final as (
    select job_id, coalesce(department, '') as department from apps
)

select * from final order by department, job_id

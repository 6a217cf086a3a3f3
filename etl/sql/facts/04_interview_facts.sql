-- The interviews, in scheduled_at order, with their application's filter columns, so that the
-- queries filter them without a join.
create or replace table interview_facts as
select i.*, a.department, a.recruiter_id, a.recruiter_name, a.job_id, a.job_title, a.source,
    a.furthest_stage, cohort_week(i.scheduled_at) as cohort_week, cohort_month(i.scheduled_at) as cohort_month
from interviews_keyed i join app_facts a using (app_key)
order by i.scheduled_at;

-- Which conversation turns do the reply-time figures count, and who answered how fast?
-- One row per answered turn started in the period (an application can have several), the most recent first.
-- Params: $date_from $date_to (on the turn's start) $department $recruiter $job $source
with turns as (
    select * from reply_turns
    where in_period(started_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        a.application_id, coalesce(t.job_title, t.job_id) as job, t.department,
        coalesce(t.recruiter_name, t.recruiter_id, 'Unassigned') as recruiter, t.recruiter_id, t.source,
        cast(t.started_at as date) as turn_started_on,
        case t.answered_by when 'company' then 'Us' else 'Candidate' end as answered_by,
        t.reply_hours / 24 as reply_days
    from turns t join app_facts a using (app_key)
)

select * from final order by turn_started_on desc, application_id

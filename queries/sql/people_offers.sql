-- Which offers do the offer figures count, and how did each end?
-- One row per application's latest offer sent in the period, the most recent first.
-- Params: $date_from $date_to (on sent_at) $department $recruiter $job $source
with offers as (
    select * from offer_facts
    where in_period(offer_sent_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        application_id, coalesce(job_title, job_id) as job, department,
        coalesce(recruiter_name, recruiter_id, 'Unassigned') as recruiter, recruiter_id,
        cast(offer_sent_at as date) as sent_on, offer_status as outcome,
        offer_answer_hours / 24 as answer_days, decline_channel, decline_reason
    from offers
)

select * from final order by sent_on desc, application_id

-- Which offers are still unanswered after their deadline?
-- One row per pending offer whose deadline (or sent_at + the answer window) is before as_of, oldest deadline first.
-- Params: $date_from $date_to (on sent_at) $department $recruiter $job $source $as_of $answer_window_days
with pending as (
    select *, coalesce(offer_deadline_at, offer_sent_at
        + to_seconds(cast($answer_window_days as double) * 86400)) as deadline
    from offer_facts
    where offer_status = 'pending' and in_period(offer_sent_at, $date_from, $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    select
        application_id, coalesce(job_title, job_id) as job,
        coalesce(recruiter_name, recruiter_id, 'Unassigned') as recruiter,
        cast(offer_sent_at as date) as sent_on, cast(deadline as date) as deadline,
        round((epoch($as_of) - epoch(deadline)) / 86400, 1) as days_past_deadline
    from pending
    where deadline < $as_of
)

select * from final order by deadline, application_id

-- Conversation turns: runs of non-automated messages in one direction, each within 7 days of
-- the one before. Only answered turns are kept: answered by the other side within 30 days.
-- Each turn carries its application's filter columns, as the interviews do.
create or replace table reply_turns as
with messages as (
    select app_key, occurred_at, to_candidate,
        lag(to_candidate) over w is distinct from to_candidate
            or occurred_at - lag(occurred_at) over w > interval 7 days as starts_turn,
        communication_id
    -- the direction as a boolean: the windows sort and carry one byte, not its text
    from (select app_key, occurred_at, direction = 'to_candidate' as to_candidate, communication_id
          from comms where not automated)
    window w as (partition by app_key order by occurred_at, communication_id)
), turn_starts as (
    select app_key, occurred_at as started_at, to_candidate,
        lead(to_candidate) over w as next_to_candidate, lead(occurred_at) over w as next_at
    from messages where starts_turn
    window w as (partition by app_key order by occurred_at, communication_id)
)
select t.app_key, t.started_at,
    case when t.next_to_candidate then 'company' else 'candidate' end as answered_by,
    (epoch(t.next_at) - epoch(t.started_at)) / 3600 as reply_hours,
    -- the same hours by side, so that a median per side needs no filter on every row
    case when t.next_to_candidate then (epoch(t.next_at) - epoch(t.started_at)) / 3600
         end as company_reply_hours,
    case when not t.next_to_candidate then (epoch(t.next_at) - epoch(t.started_at)) / 3600
         end as candidate_reply_hours,
    a.department, a.recruiter_id, a.recruiter_name, a.job_id, a.job_title, a.source, a.furthest_stage,
    cohort_week(t.started_at) as cohort_week, cohort_month(t.started_at) as cohort_month
from turn_starts t join app_facts a using (app_key)
where t.next_to_candidate <> t.to_candidate and t.next_at - t.started_at <= interval 30 days
order by t.started_at;

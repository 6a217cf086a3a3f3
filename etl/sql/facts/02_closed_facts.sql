-- Every question selects a period on its cohort's own date, so each cohort is also kept in a
-- table of its own in that date's order: a period then reads only the row groups it covers.
-- app_facts is in applied_at order; closed applications go by closed_at (a question on them
-- takes a status too, which it checks on the period's rows), offers by sent_at. Each cohort
-- table carries the week and month of its date (cohort_week, cohort_month) for trends, and
-- only the columns its questions read.
create or replace table closed_facts as
select * exclude (first_response_at, first_response_hours, offer_id, offer_version, offer_sent_at,
                  offer_deadline_at, offer_responded_at, offer_status, offer_reneged_at,
                  offer_answer_hours, decline_channel, decline_reason, close_reason, comms_known,
                  notice_at)
    replace (cohort_week(closed_at) as cohort_week, cohort_month(closed_at) as cohort_month)
from app_facts where closed_at is not null
order by closed_at;

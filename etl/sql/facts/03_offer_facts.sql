-- The applications with an offer sent, in sent_at order (see closed_facts).
create or replace table offer_facts as
select * exclude (candidate_name, candidate_phone, candidate_email)
    replace (cohort_week(offer_sent_at) as cohort_week, cohort_month(offer_sent_at) as cohort_month)
from app_facts where offer_sent_at is not null
order by offer_sent_at;

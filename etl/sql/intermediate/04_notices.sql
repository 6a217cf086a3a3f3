-- The first rejection notice to the candidate, and its kind: call, personal email or automated.
create or replace temp table notices as
select app_key, min(occurred_at) as notice_at,
    case when bool_or(not automated and channel in ('phone', 'video', 'in_person')) then 'call'
         when bool_or(not automated) then 'personal_email'
         else 'automated' end as notice_kind
from comms where direction = 'to_candidate' and topic = 'rejection'
group by app_key;

-- The first message to the candidate at or after applying; automated acknowledgements do not
-- count.
create or replace temp table first_responses as
select c.app_key, min(c.occurred_at) as first_response_at
from comms c join apps a using (app_key)
where c.direction = 'to_candidate' and c.occurred_at >= a.applied_at
  and not (c.automated and c.topic = 'acknowledgement')
group by c.app_key;

-- The channel of the candidate's first offer response at or after the final offer was sent.
create or replace temp table offer_replies as
select f.app_key, arg_min(c.channel, c.occurred_at::varchar || c.communication_id) as channel
from final_offers f join comms c using (app_key)
where c.direction = 'from_candidate' and c.topic = 'offer_response' and c.occurred_at >= f.sent_at
group by f.app_key;

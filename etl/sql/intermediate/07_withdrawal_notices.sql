-- Withdrawn applications whose candidate told us: a withdrawal or offer response from them,
-- from 7 days before the close on.
create or replace temp table withdrawal_notices as
select distinct a.app_key
from apps a join comms c using (app_key)
where a.status = 'withdrawn' and c.direction = 'from_candidate'
  and c.topic in ('withdrawal', 'offer_response') and c.occurred_at >= a.closed_at - interval 7 days;

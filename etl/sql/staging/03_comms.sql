-- The communications, with their application's key: the columns the facts read.
create or replace temp table comms as
select k.app_key, c.communication_id, c.occurred_at, c.direction, c.channel, c.topic, c.automated
from communications c join app_keys k using (origin, application_id);

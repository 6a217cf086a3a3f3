-- The communications, with their application's key.
create or replace temp table comms as
select k.app_key, c.* from communications c join app_keys k using (origin, application_id);

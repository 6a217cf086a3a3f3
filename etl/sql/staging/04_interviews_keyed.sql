-- The interviews, with their application's key.
create or replace temp table interviews_keyed as
select k.app_key, i.scheduled_at, i.status, i.kind
from interviews i join app_keys k using (origin, application_id);

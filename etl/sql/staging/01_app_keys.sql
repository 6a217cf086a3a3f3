-- One integer key per application (origin, application_id): every derived relation joins on it.
create or replace table app_keys as
select row_number() over (order by origin, application_id) as app_key, origin, application_id
from applications;

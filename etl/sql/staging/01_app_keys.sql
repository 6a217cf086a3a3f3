-- One integer key per application (origin, application_id): every derived relation joins on it.
-- Numbered as the applications are stored: a key says nothing but which application it is,
-- and numbering in (origin, application_id) order would sort every id of the export.
create or replace table app_keys as
select row_number() over () as app_key, origin, application_id
from applications;

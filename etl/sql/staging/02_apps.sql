-- The applications, with their key.
create or replace temp table apps as
select k.app_key, a.* from applications a join app_keys k using (origin, application_id);

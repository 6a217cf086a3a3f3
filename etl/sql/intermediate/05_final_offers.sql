-- The offer that counts for each application: the highest version sent (ties: the latest
-- sent_at, then the largest offer_id).
create or replace temp table final_offers as
select * exclude (rn) from (
    select k.app_key, o.*, row_number() over (
        partition by k.app_key order by o.version desc, o.sent_at desc, o.offer_id desc) as rn
    from offers o join app_keys k using (origin, application_id)
    where o.sent_at is not null
) where rn = 1;

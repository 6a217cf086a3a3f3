-- One row: the data's latest moment (the default as_of) and the row counts that tell which
-- optional inputs are missing.
create or replace table meta as
select
    (select max(t) from (
        select max(applied_at) as t from applications union all select max(closed_at) from applications
        union all select max(occurred_at) from communications union all select max(sent_at) from offers
        union all select max(responded_at) from offers union all select max(reneged_at) from offers
    )) as as_of,
    (select count(*) from communications) as communications_rows,
    (select count(*) from stage_changes) as stage_changes_rows,
    (select count(*) from interviews) as interviews_rows,
    (select count(*) from offers) as offers_rows,
    (select count(*) from users) as users_rows,
    (select count(*) from jobs) as jobs_rows;

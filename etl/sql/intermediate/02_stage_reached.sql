-- Each application's furthest stage (as a rank) and whether it was interviewed: reached an
-- interview, an offer or a hire.
create or replace temp table stage_reached as
with reached as (
    select k.app_key, s.stage_type as stage
    from stage_changes s join app_keys k using (origin, application_id)
    union all select app_key, 'interview' from interviews_keyed where status = 'completed'
    union all select k.app_key, 'offer' from offers o join app_keys k using (origin, application_id)
    union all select app_key, 'hired' from apps where status = 'hired'
)
select app_key,
    max(case stage when 'screen' then 1 when 'interview' then 2 when 'offer' then 3
                   when 'hired' then 4 else 0 end) as rank,
    bool_or(stage in ('interview', 'offer', 'hired')) as interviewed
from reached group by app_key;

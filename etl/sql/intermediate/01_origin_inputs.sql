-- Per origin: whether it has any communications (without them, notice facts are unknown).
create or replace table origin_inputs as
select origin,
    exists (select 1 from communications c where c.origin = o.origin) as has_communications
from (select distinct origin from applications) o;

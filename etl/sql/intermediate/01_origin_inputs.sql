-- Per origin: whether it has any communications (without them, notice facts are unknown).
-- A join of the distinct origins, not a correlated EXISTS: DuckDB runs that as a join on every
-- communication's origin, which cannot spill, and a 10M load ran out of memory there.
create or replace table origin_inputs as
select o.origin, c.origin is not null as has_communications
from (select distinct origin from applications) o
left join (select distinct origin from communications) c on c.origin = o.origin;

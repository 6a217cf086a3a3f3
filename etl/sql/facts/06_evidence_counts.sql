-- How many communications each rule or keyword decided, per origin (the Data page).
create or replace table evidence_counts as
select origin, topic, channel, evidence, count(*) as communications
from communications group by all order by origin, topic, channel, evidence;

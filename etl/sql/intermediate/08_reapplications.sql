-- Rejected applications whose candidate applied again afterwards (for any job).
create or replace temp table reapplications as
select a.app_key
from apps a
semi join apps b
    on b.origin = a.origin and b.candidate_id = a.candidate_id and b.app_key <> a.app_key
   and b.applied_at > a.closed_at
where a.status = 'rejected';

-- Contact details only where the call list needs them: rejected interviewees. A join of its
-- own: with app_facts' other joins, every candidate's name, phone and email would be held in
-- memory at once (a 10M load ran out of its memory there).
create or replace temp table contacts as
select a.app_key, c.name, c.phone, c.email
from apps a
join stage_reached s using (app_key)
join candidates c on c.origin = a.origin and c.candidate_id = a.candidate_id
where a.status = 'rejected' and s.interviewed;

-- Derived facts: everything the metrics need, computed once per publish so that queries/
-- never rescan raw events. Definitions: ../shared/spec/metrics.md. Rebuilt from the canonical
-- tables of every origin. NULL means unknown or undefined (e.g. notice facts of an origin with
-- no communications at all), never zero; greatest() skips NULLs, so every clipped difference
-- checks its inputs first.

-- The week (from Monday) and the month a cohort date falls in, kept with each cohort for trends.
create or replace temp macro cohort_week(ts) as cast(date_trunc('week', ts) as date);
create or replace temp macro cohort_month(ts) as cast(date_trunc('month', ts) as date);

create or replace table app_keys as
select row_number() over (order by origin, application_id) as app_key, origin, application_id
from applications;

create or replace temp table apps as
select k.app_key, a.* from applications a join app_keys k using (origin, application_id);

create or replace temp table comms as
select k.app_key, c.* from communications c join app_keys k using (origin, application_id);

create or replace table origin_inputs as
select origin,
    exists (select 1 from communications c where c.origin = o.origin) as has_communications
from (select distinct origin from applications) o;

create or replace temp table interviews_keyed as
select k.app_key, i.scheduled_at, i.status, i.kind
from interviews i join app_keys k using (origin, application_id);

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

create or replace temp table first_responses as
select c.app_key, min(c.occurred_at) as first_response_at
from comms c join apps a using (app_key)
where c.direction = 'to_candidate' and c.occurred_at >= a.applied_at
  and not (c.automated and c.topic = 'acknowledgement')
group by c.app_key;

create or replace temp table notices as
select app_key, min(occurred_at) as notice_at,
    case when bool_or(not automated and channel in ('phone', 'video', 'in_person')) then 'call'
         when bool_or(not automated) then 'personal_email'
         else 'automated' end as notice_kind
from comms where direction = 'to_candidate' and topic = 'rejection'
group by app_key;

create or replace temp table final_offers as
select * exclude (rn) from (
    select k.app_key, o.*, row_number() over (
        partition by k.app_key order by o.version desc, o.sent_at desc, o.offer_id desc) as rn
    from offers o join app_keys k using (origin, application_id)
    where o.sent_at is not null
) where rn = 1;

create or replace temp table offer_replies as
select f.app_key, arg_min(c.channel, c.occurred_at::varchar || c.communication_id) as channel
from final_offers f join comms c using (app_key)
where c.direction = 'from_candidate' and c.topic = 'offer_response' and c.occurred_at >= f.sent_at
group by f.app_key;

create or replace temp table withdrawal_notices as
select distinct a.app_key
from apps a join comms c using (app_key)
where a.status = 'withdrawn' and c.direction = 'from_candidate'
  and c.topic in ('withdrawal', 'offer_response') and c.occurred_at >= a.closed_at - interval 7 days;

create or replace temp table reapplications as
select a.app_key
from apps a
where a.status = 'rejected' and exists (
    select 1 from apps b
    where b.origin = a.origin and b.candidate_id = a.candidate_id and b.app_key <> a.app_key
      and b.applied_at > a.closed_at);

create or replace table app_facts as
select
    a.app_key, a.origin, a.application_id, a.candidate_id, a.job_id, j.title as job_title,
    j.department, a.recruiter_id, u.name as recruiter_name, a.source,
    a.applied_at, a.status, a.closed_at, a.close_reason,
    ['applied', 'screen', 'interview', 'offer', 'hired'][coalesce(s.rank, 0) + 1] as furthest_stage,
    coalesce(s.interviewed, false) as interviewed,
    oi.has_communications as comms_known,
    case when oi.has_communications then fr.first_response_at end as first_response_at,
    case when oi.has_communications
         then (epoch(fr.first_response_at) - epoch(a.applied_at)) / 3600 end as first_response_hours,
    case when a.status = 'rejected' and oi.has_communications then n.notice_at end as notice_at,
    case when a.status = 'rejected' and oi.has_communications
         then coalesce(n.notice_kind, 'none') end as notice_kind,
    case when a.status = 'rejected' and oi.has_communications and n.notice_at is not null
         then greatest(0, (epoch(n.notice_at) - epoch(a.closed_at)) / 3600) end as notice_lag_hours,
    case when a.status = 'withdrawn' and oi.has_communications
         then w.app_key is not null end as withdrawal_notice,
    case when a.status = 'rejected' then r.app_key is not null end as reapplied,
    f.offer_id, f.version as offer_version, f.sent_at as offer_sent_at,
    f.deadline_at as offer_deadline_at, f.responded_at as offer_responded_at,
    f.status as offer_status, f.reneged_at as offer_reneged_at,
    case when f.status in ('accepted', 'declined', 'reneged') and f.responded_at is not null
         then greatest(0, (epoch(f.responded_at) - epoch(f.sent_at)) / 3600) end as offer_answer_hours,
    case when f.status = 'declined' then
        case when coalesce(f.response_channel, orp.channel) in ('phone', 'video', 'in_person') then 'call'
             when coalesce(f.response_channel, orp.channel) is not null then 'written'
             else 'unknown' end end as decline_channel,
    case when f.status = 'declined' then f.decline_reason end as decline_reason,
    -- contact details only where the call list needs them: rejected interviewees
    case when a.status = 'rejected' and s.interviewed then c.name end as candidate_name,
    case when a.status = 'rejected' and s.interviewed then c.phone end as candidate_phone,
    case when a.status = 'rejected' and s.interviewed then c.email end as candidate_email,
    cohort_week(a.applied_at) as cohort_week, cohort_month(a.applied_at) as cohort_month
from apps a
left join candidates c on c.origin = a.origin and c.candidate_id = a.candidate_id
left join jobs j on j.origin = a.origin and j.job_id = a.job_id
left join users u on u.origin = a.origin and u.user_id = a.recruiter_id
left join origin_inputs oi on oi.origin = a.origin
left join stage_reached s using (app_key)
left join first_responses fr using (app_key)
left join notices n using (app_key)
left join withdrawal_notices w using (app_key)
left join reapplications r using (app_key)
left join final_offers f using (app_key)
left join offer_replies orp using (app_key)
order by a.applied_at;

-- Every question selects a period on its cohort's own date, so each cohort is also kept in a
-- table of its own in that date's order: a period then reads only the row groups it covers.
-- app_facts is in applied_at order; closed applications go by status (every question on them
-- takes one) and closed_at, offers by sent_at. Each cohort table carries the week and month of
-- its date (cohort_week, cohort_month) for trends.
create or replace table closed_facts as
select * exclude (first_response_at, first_response_hours, offer_id, offer_version, offer_sent_at,
                  offer_deadline_at, offer_responded_at, offer_status, offer_reneged_at,
                  offer_answer_hours, decline_channel, decline_reason)
    replace (cohort_week(closed_at) as cohort_week, cohort_month(closed_at) as cohort_month)
from app_facts where closed_at is not null
order by status, closed_at;

create or replace table offer_facts as
select * exclude (candidate_name, candidate_phone, candidate_email)
    replace (cohort_week(offer_sent_at) as cohort_week, cohort_month(offer_sent_at) as cohort_month)
from app_facts where offer_sent_at is not null
order by offer_sent_at;

-- Conversation turns: runs of non-automated messages in one direction, each within 7 days of
-- the one before. Only answered turns are kept: answered by the other side within 30 days.
-- Interviews and reply turns carry their application's filter columns, so that the queries
-- filter them without a join.
create or replace table interview_facts as
select i.*, a.department, a.recruiter_id, a.recruiter_name, a.job_id, a.job_title, a.source,
    a.furthest_stage, cohort_week(i.scheduled_at) as cohort_week, cohort_month(i.scheduled_at) as cohort_month
from interviews_keyed i join app_facts a using (app_key)
order by i.scheduled_at;

create or replace table reply_turns as
with messages as (
    select app_key, occurred_at, direction,
        lag(direction) over w is distinct from direction
            or occurred_at - lag(occurred_at) over w > interval 7 days as starts_turn,
        communication_id
    from comms where not automated
    window w as (partition by app_key order by occurred_at, communication_id)
), turn_starts as (
    select app_key, occurred_at as started_at, direction,
        lead(direction) over w as next_direction, lead(occurred_at) over w as next_at
    from messages where starts_turn
    window w as (partition by app_key order by occurred_at, communication_id)
)
select t.app_key, t.started_at,
    case t.next_direction when 'to_candidate' then 'company' else 'candidate' end as answered_by,
    (epoch(t.next_at) - epoch(t.started_at)) / 3600 as reply_hours,
    -- the same hours by side, so that a median per side needs no filter on every row
    case when t.next_direction = 'to_candidate' then (epoch(t.next_at) - epoch(t.started_at)) / 3600
         end as company_reply_hours,
    case when t.next_direction <> 'to_candidate' then (epoch(t.next_at) - epoch(t.started_at)) / 3600
         end as candidate_reply_hours,
    a.department, a.recruiter_id, a.recruiter_name, a.job_id, a.job_title, a.source, a.furthest_stage,
    cohort_week(t.started_at) as cohort_week, cohort_month(t.started_at) as cohort_month
from turn_starts t join app_facts a using (app_key)
where t.next_direction <> t.direction and t.next_at - t.started_at <= interval 30 days
order by t.started_at;

create or replace table evidence_counts as
select origin, topic, channel, evidence, count(*) as communications
from communications group by all order by origin, topic, channel, evidence;

-- The sidebar's choices and the data sources, read on every page.
create or replace table filter_values as
with apps as (
    select department, coalesce(recruiter_id, '') as recruiter, recruiter_name, recruiter_id,
        job_id, job_title, source
    from app_facts
)
select distinct 'department' as filter, department as value, department as label
from apps where department is not null
union all
select distinct 'recruiter', recruiter, coalesce(recruiter_name, recruiter_id, 'Unassigned') from apps
union all
select distinct 'job', job_id, coalesce(job_title, job_id) from apps where job_id is not null
union all
select distinct 'source', source, source from apps where source is not null;

create or replace table origin_counts as
select origin, count(*) as applications from app_facts group by origin;

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

-- Macros shared by every query of queries/: the application filters, the period on a cohort
-- date (inclusive whole days), and the grouping of a breakdown or a trend.
create or replace macro in_period(ts, date_from, date_to) as
    (date_from is null or ts >= cast(date_from as timestamp))
    and (date_to is null or ts < cast(date_to as timestamp) + interval 1 day);

-- A question asked with $previous_from also answers the period before (from $previous_from up
-- to $date_from), in the same pass: each row says which period it belongs to.
create or replace macro period_of(ts, date_from, previous_from) as
    case when previous_from is not null and ts < cast(date_from as timestamp) then 'previous'
         else 'current' end;

-- Counting by kind: a question first counts its rows per group and kind (a handful of rows),
-- then adds those counts up for each figure, which costs far less than one pass per figure.
create or replace macro tally(n, condition) as cast(sum(if(condition, n, 0)) as bigint);

create or replace macro share(part, whole) as part / nullif(whole, 0);

-- (Macros take columns, not a whole row: a row passed as a struct would read every column.)
create or replace macro matches_filters(department, recruiter_id, job_id, source,
                                        department_, recruiter_, job_, source_) as
    (department_ is null or department = department_)
    and (recruiter_ is null or coalesce(recruiter_id, '') = recruiter_)
    and (job_ is null or job_id = job_)
    and (source_ is null or source = source_);

-- A breakdown's group: group_value() for a category, group_day() for a week or a month, and
-- group_name() to write the key once per group (formatting a date on every row would cost more
-- than the rest of a question).
create or replace macro group_value(group_by, department, recruiter_id, job_id, source, furthest_stage) as
    case group_by
        when 'department' then coalesce(department, '(no department)')
        when 'recruiter' then coalesce(recruiter_id, '')
        when 'job' then coalesce(job_id, '(no job)')
        when 'source' then coalesce(source, '(no source)')
        when 'furthest_stage' then furthest_stage end;

create or replace macro group_day(group_by, cohort_week, cohort_month) as
    case group_by when 'week' then cohort_week when 'month' then cohort_month
        when 'quarter' then cast(date_trunc('quarter', cohort_month) as date) end;

create or replace macro group_name(group_by, value, day) as
    case group_by
        when 'week' then strftime(day, '%Y-%m-%d')
        when 'month' then strftime(day, '%Y-%m')
        when 'quarter' then strftime(day, '%Y') || '-Q' || quarter(day)
        else coalesce(value, 'all') end;

create or replace macro group_label(group_by, recruiter_name, recruiter_id, job_title, job_id) as
    case group_by
        when 'recruiter' then coalesce(recruiter_name, recruiter_id, 'Unassigned')
        when 'job' then coalesce(job_title, job_id, '(no job)')
        else null end;

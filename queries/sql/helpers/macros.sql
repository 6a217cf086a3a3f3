-- Macros shared by every query of queries/: the application filters, the period on a cohort
-- date (inclusive whole days), and the grouping of a breakdown or a trend.
create or replace temp macro in_period(ts, date_from, date_to) as
    (date_from is null or ts >= cast(date_from as timestamp))
    and (date_to is null or ts < cast(date_to as timestamp) + interval 1 day);

-- A question asked with $previous_from also answers the period before (from $previous_from up
-- to $date_from), in the same pass: each row says which period it belongs to.
create or replace temp macro period_of(ts, date_from, previous_from) as
    case when previous_from is not null and ts < cast(date_from as timestamp) then 'previous'
         else 'current' end;

-- Counting by kind: a question first counts its rows per group and kind (a handful of rows),
-- then adds those counts up for each figure, which costs far less than one pass per figure.
create or replace temp macro tally(n, condition) as cast(sum(if(condition, n, 0)) as bigint);

create or replace temp macro share(part, whole) as part / nullif(whole, 0);

-- (Macros take columns, not a whole row: a row passed as a struct would read every column.)
create or replace temp macro matches_filters(department, recruiter_id, job_id, source,
                                        department_, recruiter_, job_, source_) as
    (department_ is null or department = department_)
    and (recruiter_ is null or coalesce(recruiter_id, '') = recruiter_)
    and (job_ is null or job_id = job_)
    and (source_ is null or source = source_);

-- A breakdown's group: group_value() for a category, group_day() for a week, a month or a quarter, and
-- group_name() to write the key once per group (formatting a date on every row would cost more
-- than the rest of a question). A category and a grain together ('recruiter/month': each
-- recruiter's months, in one pass) give keys like 'u101/2025-05'.
create or replace temp macro group_value(group_by, department, recruiter_id, job_id, source, furthest_stage) as
    case split_part(group_by, '/', 1)
        when 'department' then coalesce(department, '(no department)')
        when 'recruiter' then coalesce(recruiter_id, '')
        when 'job' then coalesce(job_id, '(no job)')
        when 'source' then coalesce(source, '(no source)')
        when 'furthest_stage' then furthest_stage end;

create or replace temp macro group_day(group_by, cohort_week, cohort_month) as
    case split_part(group_by, '/', -1) when 'week' then cohort_week when 'month' then cohort_month
        when 'quarter' then cast(date_trunc('quarter', cohort_month) as date) end;

create or replace temp macro day_name(grain, day) as
    case grain
        when 'week' then strftime(day, '%Y-%m-%d')
        when 'month' then strftime(day, '%Y-%m')
        when 'quarter' then strftime(day, '%Y') || '-Q' || quarter(day) end;

create or replace temp macro group_name(group_by, value, day) as
    case when coalesce(split_part(group_by, '/', -1), '') not in ('week', 'month', 'quarter')
         then coalesce(value, 'all')
         when group_by like '%/%' then value || '/' || day_name(split_part(group_by, '/', -1), day)
         else day_name(group_by, day) end;

create or replace temp macro group_label(group_by, recruiter_name, recruiter_id, job_title, job_id) as
    case split_part(group_by, '/', 1)
        when 'recruiter' then coalesce(recruiter_name, recruiter_id, 'Unassigned')
        when 'job' then coalesce(job_title, job_id, '(no job)')
        else null end;

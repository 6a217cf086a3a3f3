-- Of the rejected candidates, who was told, how (call, personal email, automated, none) and how late?
-- One row per group ($group_by: null for all, department, recruiter, job, source, furthest_stage, week, month),
-- and a total row per period (group_key 'all'); with $previous_from, the period before has its total only.
-- Params: $date_from $date_to (on closed_at) $previous_from $department $recruiter $job $source $as_of $notice_sla_days $group_by $groups_only
-- ($groups_only: the groups' rows alone, no totals, for a caller that never reads them)
with rejected as (
    select closed_at, interviewed, notice_kind, notice_lag_hours,
        period_of(closed_at, $date_from, $previous_from) as period,
        group_value($group_by, department, recruiter_id, job_id, source, furthest_stage) as group_value,
        group_day($group_by, cohort_week, cohort_month) as group_day,
        group_label($group_by, recruiter_name, recruiter_id, job_title, job_id) as label
    from closed_facts
    where status = 'rejected' and in_period(closed_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

kinds as (
    -- not told yet: overdue once the notice SLA has passed since the rejection, else pending
    select period, group_value, group_day, interviewed, notice_kind,
        notice_kind = 'none' and closed_at
            < $as_of - to_seconds(cast($notice_sla_days as double) * 86400) as overdue,
        count(*) as n,
        any_value(label) as label
    from rejected
    group by all
),

kind_levels as (
    -- each kind counts in its period's total and, in the current period, in its group ($group_by)
    select *, false as total from kinds where $group_by is not null and period = 'current'
    union all
    select * replace (null as group_value, null as group_day, null as label), true as total from kinds
    where not coalesce($groups_only, false)
),

lags as (
    select period, total, group_value, group_day,
        quantile_cont(notice_lag_hours, 0.5) as notice_lag_hours_median,
        count(notice_lag_hours) as notice_lag_n
    from (
        select period, false as total, group_value, group_day, notice_lag_hours
        from rejected where interviewed and $group_by is not null and period = 'current'
        union all
        select period, true, null, null, notice_lag_hours from rejected
        where interviewed and not coalesce($groups_only, false)
    )
    group by all
),

counts as (
    select period, total, group_value, group_day, any_value(label) as label,
        tally(n, true) as rejections,
        tally(n, interviewed) as rejections_interviewed,
        share(tally(n, interviewed and notice_kind <> 'none'),
              tally(n, interviewed and notice_kind is not null)) as notice_coverage,
        share(tally(n, interviewed and notice_kind = 'call'),
              tally(n, interviewed and notice_kind is not null)) as notice_call_share,
        share(tally(n, notice_kind <> 'none'), tally(n, notice_kind is not null)) as notice_coverage_all,
        tally(n, interviewed and notice_kind = 'call') as mix_call,
        tally(n, interviewed and notice_kind = 'personal_email') as mix_personal_email,
        tally(n, interviewed and notice_kind = 'automated') as mix_automated,
        tally(n, interviewed and notice_kind = 'none') as mix_none,
        tally(n, interviewed and overdue) as notices_overdue,
        tally(n, interviewed and notice_kind = 'none' and not overdue) as notices_pending
    from kind_levels
    group by all
),

final as (
    select c.period, c.total, if(c.total, 'all', group_name($group_by, c.group_value, c.group_day)) as group_key,
        if(c.total, null, c.label) as label,
        c.* exclude (period, total, group_value, group_day, label, notices_overdue, notices_pending),
        l.notice_lag_hours_median, coalesce(l.notice_lag_n, 0) as notice_lag_n,
        c.notices_overdue, c.notices_pending
    from counts c
    left join lags l on l.period = c.period and l.total = c.total
        and l.group_value is not distinct from c.group_value and l.group_day is not distinct from c.group_day
)

select * from final order by period, total, group_key

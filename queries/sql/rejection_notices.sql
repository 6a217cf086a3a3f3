-- Of the rejected candidates, who was told, how (call, personal email, automated, none) and how late?
-- One row per group ($group_by: null for all, department, recruiter, job, source, furthest_stage, week, month).
-- Params: $date_from $date_to (on closed_at) $previous_from $department $recruiter $job $source $as_of $notice_sla_days $group_by
with rejected as (
    select * from closed_facts
    where status = 'rejected' and in_period(closed_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

final as (
    -- not told yet: overdue once the notice SLA has passed since the rejection, else pending
    select
        period_of(closed_at, $date_from, $previous_from) as period,
        group_value($group_by, department, recruiter_id, job_id, source, furthest_stage) as group_value,
        group_day($group_by, closed_at) as group_day,
        any_value(group_label($group_by, recruiter_name, recruiter_id, job_title, job_id)) as label,
        count(*) as rejections,
        count(*) filter (where interviewed) as rejections_interviewed,
        avg((notice_kind <> 'none')::int) filter (where interviewed) as notice_coverage,
        avg((notice_kind = 'call')::int) filter (where interviewed) as notice_call_share,
        avg((notice_kind <> 'none')::int) as notice_coverage_all,
        count(*) filter (where interviewed and notice_kind = 'call') as mix_call,
        count(*) filter (where interviewed and notice_kind = 'personal_email') as mix_personal_email,
        count(*) filter (where interviewed and notice_kind = 'automated') as mix_automated,
        count(*) filter (where interviewed and notice_kind = 'none') as mix_none,
        quantile_cont(notice_lag_hours, 0.5) filter (where interviewed) as notice_lag_hours_median,
        count(notice_lag_hours) filter (where interviewed) as notice_lag_n,
        count(*) filter (where interviewed and notice_kind = 'none' and closed_at
            < $as_of - to_seconds(cast($notice_sla_days as double) * 86400)) as notices_overdue,
        count(*) filter (where interviewed and notice_kind = 'none' and closed_at
            >= $as_of - to_seconds(cast($notice_sla_days as double) * 86400)) as notices_pending
    from rejected
    group by all
)

select group_name($group_by, group_value, group_day) as group_key, * exclude (group_value, group_day)
from final order by period, group_key

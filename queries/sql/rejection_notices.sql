-- Of the rejected candidates, who was told, how (call, personal email, automated, none) and how late?
-- One row per group ($group_by: null for all, department, recruiter, job, source, furthest_stage, week, month).
-- Params: $date_from $date_to (on closed_at) $department $recruiter $job $source $as_of $notice_sla_days $group_by
with rejected as (
    select * from filtered_apps($department, $recruiter, $job, $source) f
    where status = 'rejected' and in_period(closed_at, $date_from, $date_to)
),

statuses as (
    select *,
        case when not interviewed or notice_kind is null then null
             when notice_kind <> 'none' then 'notified'
             when $as_of - closed_at > to_seconds(cast($notice_sla_days as double) * 86400) then 'overdue'
             else 'pending' end as notice_status
    from rejected
),

final as (
    select
        group_key($group_by, closed_at, department, recruiter_id, job_id, source, furthest_stage) as group_key,
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
        count(*) filter (where notice_status = 'overdue') as notices_overdue,
        count(*) filter (where notice_status = 'pending') as notices_pending
    from statuses
    group by all
)

select * from final order by group_key

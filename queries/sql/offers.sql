-- How do candidates answer offers: accept, decline (by call or in writing), go silent, renege?
-- One row per group ($group_by: null for all, department, recruiter, job, source, week, month),
-- and a total row per period (group_key 'all'); with $previous_from, the period before has its total only.
-- Params: $date_from $date_to (on sent_at) $previous_from $department $recruiter $job $source $as_of $answer_window_days $group_by $groups_only
-- ($groups_only: the groups' rows alone, no totals, for a caller that never reads them)
with offers as (
    select offer_sent_at, offer_deadline_at, offer_status, offer_answer_hours, decline_channel,
        period_of(offer_sent_at, $date_from, $previous_from) as period,
        group_value($group_by, department, recruiter_id, job_id, source, furthest_stage) as group_value,
        group_day($group_by, cohort_week, cohort_month) as group_day,
        group_label($group_by, recruiter_name, recruiter_id, job_title, job_id) as label
    from offer_facts
    where in_period(offer_sent_at, coalesce($previous_from, $date_from), $date_to)
      and matches_filters(department, recruiter_id, job_id, source, $department, $recruiter, $job, $source)
),

levels as (
    -- each row counts in its period's total and, in the current period, in its group ($group_by)
    select *, false as total from offers where $group_by is not null and period = 'current'
    union all
    select * replace (null as group_value, null as group_day), true as total from offers
    where not coalesce($groups_only, false)
),

counts as (
    select
        period, total, group_value, group_day,
        any_value(label) as label,
        count(*) as offers,
        count(*) filter (where offer_status in ('accepted', 'declined', 'expired', 'reneged'))
            as offers_decided,
        count(*) filter (where offer_status = 'accepted') as accepted,
        count(*) filter (where offer_status = 'declined') as declined,
        count(*) filter (where offer_status = 'expired') as expired,
        count(*) filter (where offer_status = 'reneged') as reneged,
        count(*) filter (where offer_status = 'rescinded') as rescinded,
        count(*) filter (where offer_status = 'pending') as pending,
        quantile_cont(offer_answer_hours, 0.5) as answer_hours_median,
        count(offer_answer_hours) as answer_n,
        -- a renege was an acceptance first: its answer time is a time to accept
        quantile_cont(offer_answer_hours, 0.5) filter (where offer_status in ('accepted', 'reneged'))
            as accept_hours_median,
        count(offer_answer_hours) filter (where offer_status in ('accepted', 'reneged')) as accept_n,
        quantile_cont(offer_answer_hours, 0.5) filter (where offer_status = 'declined')
            as decline_hours_median,
        count(offer_answer_hours) filter (where offer_status = 'declined') as decline_n,
        count(*) filter (where offer_status = 'pending' and coalesce(offer_deadline_at,
            offer_sent_at + to_seconds(cast($answer_window_days as double) * 86400)) < $as_of) as offers_past_deadline,
        count(*) filter (where decline_channel = 'call') as decline_channel_call,
        count(*) filter (where decline_channel = 'written') as decline_channel_written,
        count(*) filter (where decline_channel = 'unknown') as decline_channel_unknown
    from levels
    group by all
),

final as (
    -- rates over decided offers (accepted, declined, expired, reneged); reneged over accepted
    select period, total, if(total, 'all', group_name($group_by, group_value, group_day)) as group_key,
        if(total, null, label) as label,
        offers, offers_decided, accepted, declined, expired, reneged, rescinded, pending,
        share(accepted + reneged, offers_decided) as acceptance_rate,
        share(declined, offers_decided) as decline_rate,
        share(expired, offers_decided) as silent_offer_rate,
        share(reneged, accepted + reneged) as renege_rate,
        answer_hours_median, answer_n, accept_hours_median, accept_n, decline_hours_median, decline_n,
        offers_past_deadline, decline_channel_call, decline_channel_written, decline_channel_unknown,
        share(decline_channel_call, decline_channel_call + decline_channel_written) as decline_call_share
    from counts
)

select * from final order by period, total, group_key

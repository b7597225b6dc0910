import { useMemo } from "react";
import { formatInteger, formatMoney } from "../../lib/format";
import { Pill } from "../../ui/Pill";
import { EmptyState } from "../../ui/states";
import { useReportingContext } from "../meta/queries";
import { ActiveUsersStrip } from "./ActiveUsersStrip";
import { LazyChart } from "./LazyChart";
import { PictureCard, SubHeading } from "./PictureCard";
import {
  arrLabel,
  arrOption,
  usageLabel,
  usageOption,
  weeklyLabel,
  weeklyOption,
} from "./pictureCharts";
import type { ArrPoint, FeatureUse, HealthDay, WeekUsage } from "./queries";

const HEIGHT = 200;

function ArrTrend({ points, currency }: { points: ArrPoint[]; currency: string }) {
  const option = useMemo(() => arrOption(points, currency), [points, currency]);
  if (!points.some((p) => p.arr > 0)) {
    return (
      <EmptyState title="No ARR in the last 12 months">
        ARR comes from subscription lines.
      </EmptyState>
    );
  }
  return <LazyChart option={option} label={arrLabel(points, currency)} height={HEIGHT} />;
}

function UsageTrend({ history }: { history: HealthDay[] }) {
  const option = useMemo(() => usageOption(history), [history]);
  if (history.filter((d) => d.active_users !== null).length < 2) {
    return <EmptyState title="Not enough scored days">The trend needs two scored days.</EmptyState>;
  }
  return <LazyChart option={option} label={usageLabel(history)} height={HEIGHT} />;
}

function WeeklyEvents({ weeks }: { weeks: WeekUsage[] }) {
  const option = useMemo(() => weeklyOption(weeks), [weeks]);
  if (!weeks.some((w) => w.events > 0)) {
    return <EmptyState title="No usage in 12 weeks">No product events were received.</EmptyState>;
  }
  return <LazyChart option={option} label={weeklyLabel(weeks)} height={HEIGHT} />;
}

function TopFeatures({ features }: { features: FeatureUse[] }) {
  if (features.length === 0) {
    return <EmptyState title="No feature use in 28 days" />;
  }
  return (
    <div className="table-scroll">
      <table className="table table-compact" aria-label="Top features">
        <thead>
          <tr>
            <th scope="col">Feature</th>
            <th scope="col" className="num">
              Events
            </th>
            <th scope="col" className="num">
              User-days
            </th>
            <th scope="col" className="num">
              Minutes
            </th>
          </tr>
        </thead>
        <tbody>
          {features.map((f) => (
            <tr key={f.key} data-testid="feature-row">
              <td>
                {f.name} {f.is_core ? <Pill tone="accent">Core</Pill> : null}
              </td>
              <td className="num">{formatInteger(f.events)}</td>
              <td className="num">{formatInteger(f.user_days)}</td>
              <td className="num">{formatInteger(f.minutes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * DAU, WAU, MAU and stickiness; ARR over 12 months, active users and adoption, weekly events and
 * the most used features.
 */
export function UsageCard({ accountId }: { accountId: string }) {
  const { currency } = useReportingContext();
  return (
    <PictureCard accountId={accountId} id="usage-trends" title="Usage & ARR trends" lines={6}>
      {(a) => {
        const last = a.arr_trend[a.arr_trend.length - 1];
        return (
          <>
            {a.active_users ? <ActiveUsersStrip active={a.active_users} /> : null}
            <div className="picture-grid-2">
              <div className="picture-section">
                <SubHeading
                  aside={
                    last ? (
                      <span className="muted small">now {formatMoney(last.arr, currency)}</span>
                    ) : null
                  }
                >
                  ARR, 12 months
                </SubHeading>
                <ArrTrend points={a.arr_trend} currency={currency} />
              </div>
              <div className="picture-section">
                <SubHeading>Active users &amp; feature adoption, 90 days</SubHeading>
                <UsageTrend history={a.health_history} />
              </div>
              <div className="picture-section">
                <SubHeading>Events per week</SubHeading>
                <WeeklyEvents weeks={a.weekly_usage} />
              </div>
              <div className="picture-section">
                <SubHeading>Top features, 28 days</SubHeading>
                <TopFeatures features={a.top_features} />
              </div>
            </div>
          </>
        );
      }}
    </PictureCard>
  );
}

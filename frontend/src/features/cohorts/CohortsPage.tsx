import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { Segmented } from "../../ui/Segmented";
import { useReportingContext } from "../meta/queries";
import { CurvesCard } from "./CurvesCard";
import { DriversCard } from "./DriversCard";
import { EngagementCard } from "./EngagementCard";
import { HeatmapCard } from "./HeatmapCard";
import { useCohorts } from "./queries";
import "./cohorts.css";
import {
  type CohortsState,
  MONTH_CHOICES,
  parseCohortsSearch,
  type Split,
  serializeCohortsSearch,
} from "./searchState";
import { TimeToValueCard } from "./TimeToValueCard";

const route = getRouteApi("/_app/cohorts");

export const SPLIT_OPTIONS = [
  { value: "none", label: "All" },
  { value: "segment", label: "Segment" },
  { value: "plan", label: "Plan" },
  { value: "channel", label: "Channel" },
  { value: "onboarding", label: "Onboarding" },
] as const;

export function CohortsPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseCohortsSearch(search), [search]);
  const { currency } = useReportingContext();
  const report = useCohorts(state.split, state.months);

  const update = (patch: Partial<CohortsState>) => {
    void navigate({ search: serializeCohortsSearch({ ...state, ...patch }), replace: true });
  };
  const months = (MONTH_CHOICES as readonly number[]).includes(state.months)
    ? MONTH_CHOICES
    : [...MONTH_CHOICES, state.months].sort((a, b) => a - b);

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Cohorts</h1>
          <p className="page-subtitle">
            Retention of accounts by the month of their first ARR, churn drivers and time to value
          </p>
        </div>
        <div className="page-actions">
          <Segmented<Split>
            label="Split cohorts by"
            options={SPLIT_OPTIONS}
            value={state.split}
            onChange={(split) => update({ split, group: "" })}
          />
          <label className="inline-field">
            Period
            <select
              className="select"
              value={state.months}
              onChange={(e) => update({ months: Number(e.target.value) })}
            >
              {months.map((m) => (
                <option key={m} value={m}>
                  Last {m} months
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>

      <HeatmapCard report={report} state={state} currency={currency} onChange={update} />
      <CurvesCard report={report} />
      <div className="cohorts-pair">
        <DriversCard
          months={state.months}
          dimension={state.driver}
          currency={currency}
          onDimension={(driver) => update({ driver })}
        />
        <EngagementCard />
      </div>
      <TimeToValueCard />
    </div>
  );
}

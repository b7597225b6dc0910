import { getRouteApi } from "@tanstack/react-router";
import { useMemo } from "react";
import { useMeta, useReportingContext } from "../meta/queries";
import { AdoptionCard } from "./AdoptionCard";
import { ComplaintsCard } from "./ComplaintsCard";
import { FeaturesCard } from "./FeaturesCard";
import { MonthlyDistributionCard } from "./MonthlyDistributionCard";
import { QuadrantChurnCard } from "./QuadrantChurnCard";
import "./product.css";
import { type ProductState, parseProductSearch, serializeProductSearch } from "./searchState";
import { TransitionsCard } from "./TransitionsCard";

const route = getRouteApi("/_app/product");

export function ProductPage() {
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const state = useMemo(() => parseProductSearch(search), [search]);
  const { currency, today } = useReportingContext();
  const serverToday = useMeta().data?.today;

  const update = (patch: Partial<ProductState>) => {
    void navigate({ search: serializeProductSearch({ ...state, ...patch }), replace: true });
  };

  return (
    <div className="page">
      <div className="page-header">
        <div>
          <h1>Product</h1>
          <p className="page-subtitle">
            How quadrants, feature use and product fixes relate to retention, month by month
          </p>
        </div>
      </div>

      <div className="product-pair">
        <MonthlyDistributionCard
          measure={state.measure}
          currency={currency}
          onMeasure={(measure) => update({ measure })}
        />
        <TransitionsCard
          quarter={state.quarter}
          today={serverToday}
          currency={currency}
          onQuarter={(quarter) => update({ quarter })}
        />
      </div>
      <QuadrantChurnCard today={today} />
      <div className="product-pair product-pair-even">
        <FeaturesCard />
        <AdoptionCard days={state.days} onDays={(days) => update({ days })} />
      </div>
      <ComplaintsCard />
    </div>
  );
}

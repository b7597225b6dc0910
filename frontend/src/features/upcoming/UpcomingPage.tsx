import { Pill } from "../../ui/Pill";
import { UPCOMING_VIEWS, type UpcomingPath } from "./views";

export function UpcomingPage({ path }: { path: UpcomingPath }) {
  const view = UPCOMING_VIEWS[path];
  return (
    <div className="page">
      <div className="page-header">
        <h1>{view.title}</h1>
      </div>
      <section className="card upcoming" aria-labelledby="upcoming-title">
        <Pill tone="accent">Coming next</Pill>
        <h2 id="upcoming-title" className="visually-hidden">
          What {view.title} will show
        </h2>
        <p>{view.summary}</p>
      </section>
    </div>
  );
}

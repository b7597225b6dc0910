import { formatRange } from "../lib/format";

/** Table footer: rows-per-page select, "1–50 of 1,234", Prev / Next. `total` unknown while loading. */
export function Pager<Size extends number>({
  page,
  pageSize,
  pageSizes,
  total,
  onPage,
  onPageSize,
  testId,
}: {
  page: number;
  pageSize: Size;
  pageSizes: readonly Size[];
  total: number | undefined;
  onPage: (page: number) => void;
  onPageSize: (size: Size) => void;
  testId?: string;
}) {
  const lastPage = Math.max(1, Math.ceil((total ?? 0) / pageSize));
  return (
    <footer className="pager">
      <label className="health">
        Rows per page
        <select
          className="select"
          value={pageSize}
          onChange={(e) => {
            const size = pageSizes.find((s) => String(s) === e.target.value);
            if (size !== undefined) onPageSize(size);
          }}
        >
          {pageSizes.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <span className="pager-range" aria-live="polite" data-testid={testId}>
        {total === undefined ? "\u00a0" : formatRange(page, pageSize, total)}
      </span>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => onPage(Math.max(1, page - 1))}
        disabled={page <= 1}
      >
        ‹ Prev
      </button>
      <button
        type="button"
        className="btn btn-sm"
        onClick={() => onPage(page + 1)}
        disabled={total === undefined || page >= lastPage}
      >
        Next ›
      </button>
    </footer>
  );
}

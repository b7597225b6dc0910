import { getRouteApi } from "@tanstack/react-router";
import { type ReactNode, useEffect, useMemo, useRef, useState } from "react";
import type { Kind } from "../../api/kinds";
import { EmptyState, ErrorState, LoadingBlock } from "../../ui/states";
import { useMe } from "../auth/queries";
import { canImport, importRefusal } from "./access";
import { ChooseStep } from "./ChooseStep";
import { ImportSession, type Session } from "./ImportSession";
import { orderFields } from "./mapping";
import { type KnownPreset, useDetect, useImportFields, usePresets, usePreview } from "./queries";
import { Steps } from "./Steps";

const route = getRouteApi("/_app/import");

/**
 * Import wizard: 1 choose kind/preset and file → 2 preview and map → 3 validate (dry run)
 * → 4 import with progress. Only `?kind=` is in the URL; the rest is React state.
 * Roles that may not import see why before they choose anything, and no drop zone.
 */
export function ImportPage() {
  const me = useMe();
  const search = route.useSearch();
  const navigate = route.useNavigate();
  const presets = usePresets();
  const fields = useImportFields();
  const preview = usePreview();
  const detect = useDetect();
  const [preset, setPreset] = useState<KnownPreset | null>(null);
  // a preset chosen because the dropped file's header row matched it (the user may change it)
  const [detectedFrom, setDetectedFrom] = useState<string | null>(null);
  const [file, setFile] = useState<File | null>(null);
  const [session, setSession] = useState<Session | null>(null);
  const previews = useRef(0);
  const kind: Kind | null = preset?.kind ?? search.kind ?? null;

  const setKind = (next: Kind | null) => {
    void navigate({ search: next ? { kind: next } : {}, replace: true });
  };

  // Back/forward to another ?kind= while mapping: start over with that kind.
  useEffect(() => {
    if (session && search.kind !== session.kind) setSession(null);
  }, [search.kind, session]);

  /**
   * Read the file for `previewKind`. Without a chosen preset, one that the header row
   * matches is applied when it imports this kind, else offered.
   */
  const startPreview = (chosen: KnownPreset | null = preset, previewKind: Kind | null = kind) => {
    if (!previewKind || !file) return;
    preview.mutate(
      { kind: previewKind, file, preset: chosen?.key ?? null },
      {
        onSuccess: (data) => {
          const detected = chosen
            ? null
            : (presets.data?.find((p) => p.key === data.detected_preset) ?? null);
          const applied = detected?.kind === previewKind ? detected : null;
          if (applied) setPreset(applied);
          setSession({
            id: ++previews.current,
            kind: previewKind,
            file,
            preset: chosen ?? applied,
            detected: applied !== null,
            otherPreset: detected && !applied ? detected : null,
            preview: data,
          });
        },
      },
    );
  };

  const switchToPreset = (next: KnownPreset) => {
    setPreset(next);
    setKind(next.kind);
    startPreview(next, next.kind);
  };

  const kindFields = session ? fields.data?.find((k) => k.kind === session.kind) : undefined;
  const orderedFields = useMemo(() => orderFields(kindFields?.fields ?? []), [kindFields]);

  const role = me.data?.role;
  let content: ReactNode;
  if (me.isPending) {
    content = (
      <section className="card">
        <LoadingBlock lines={3} label="Loading" />
      </section>
    );
  } else if (role !== undefined && !canImport(role)) {
    // (when who is signed in cannot be read, the wizard shows: the server still decides)
    content = (
      <section className="card" data-testid="import-not-allowed">
        <EmptyState title="Importing is for admins">{importRefusal(role)}</EmptyState>
      </section>
    );
  } else if (!session) {
    content = (
      <>
        <Steps current={1} />
        <ChooseStep
          kind={kind}
          onKind={(next) => {
            preview.reset();
            setKind(next);
          }}
          presets={presets.isError ? [] : presets.data}
          preset={preset}
          onPreset={(next) => {
            preview.reset();
            setDetectedFrom(null);
            setPreset(next);
            if (next) setKind(next.kind);
          }}
          detectedFrom={detectedFrom}
          file={file}
          onFile={(next) => {
            preview.reset();
            setFile(next);
            if (preset && !detectedFrom) return; // the user chose a preset: keep it
            detect.mutate(next, {
              onSuccess: (found) => {
                const known = presets.data?.find((p) => p.key === found.detected_preset) ?? null;
                setPreset(known);
                setDetectedFrom(known ? next.name : null);
                if (known) setKind(known.kind);
              },
            });
          }}
          onPreview={() => startPreview()}
          previewing={preview.isPending}
          previewError={preview.error}
        />
        {presets.isError ? (
          <p className="muted">
            Presets are unavailable right now; you can still map columns yourself.
          </p>
        ) : null}
      </>
    );
  } else if (fields.isPending) {
    content = (
      <section className="card">
        <LoadingBlock lines={4} label="Loading fields" />
      </section>
    );
  } else if (fields.isError || !kindFields) {
    content = (
      <section className="card">
        <ErrorState
          title="Couldn't load the fields for this kind"
          error={fields.error ?? new Error(`Tempo can't import ${session.kind} from a file.`)}
          onRetry={fields.isError ? () => void fields.refetch() : () => setSession(null)}
        />
      </section>
    );
  } else {
    content = (
      <ImportSession
        key={session.id}
        session={session}
        fields={orderedFields}
        onRestart={() => {
          preview.reset();
          setSession(null);
        }}
        onUsePreset={switchToPreset}
        onDropPreset={() => {
          setPreset(null);
          setSession({
            ...session,
            id: ++previews.current,
            preset: null,
            detected: false,
            otherPreset: null,
          });
        }}
      />
    );
  }

  return (
    <div className="page wizard">
      <div className="page-header">
        <div>
          <h1>Import</h1>
          <p className="page-subtitle">
            Load a CSV or Excel export: say what it contains, map its columns, validate, then
            import.
          </p>
        </div>
      </div>
      {content}
    </div>
  );
}

import type { Measurement, MeasurementTool } from '../../../../shared/viewer';
import type { StudyStacks } from './stacks';

const TOOL_LABELS: Record<MeasurementTool, string> = {
  Length: 'Length',
  Angle: 'Angle',
  EllipticalROI: 'Ellipse',
  RectangleROI: 'Rectangle',
  Probe: 'Probe',
};

interface Props {
  items: readonly Measurement[];
  stacks: StudyStacks;
  onSelect: (m: Measurement) => void;
  onDelete: (measurementId: string) => void;
}

/** This user's measurements on the study, oldest first: click one to show its image. */
export function MeasurementPanel({ items, stacks, onSelect, onDelete }: Props) {
  return (
    <section className="nv-side-section nv-measurements" data-testid="measurement-panel" aria-label="Measurements">
      <h3>Measurements</h3>
      {items.length === 0 && <p className="nv-muted">None yet. Pick a tool and draw on the image.</p>}
      <ul>
        {items.map((m) => {
          const imageId = stacks.imageIdOf(m.sopInstanceUid, m.frame);
          const ref = imageId ? stacks.byImageId.get(imageId) : undefined;
          const series = ref ? stacks.bySeries.get(ref.seriesInstanceUid)?.series : undefined;
          return (
            <li key={m.measurementId} data-testid="measurement-row" data-measurement-id={m.measurementId} data-tool={m.tool}>
              <button type="button" className="nv-link" onClick={() => onSelect(m)} title="Show its image">
                <strong>{TOOL_LABELS[m.tool]}</strong> <span data-testid="measurement-label">{m.label}</span>
                <small>
                  {series ? ` Se ${series.seriesNumber ?? '–'}` : ''}
                  {ref ? ` Im ${ref.index + 1}` : ''}
                </small>
              </button>
              <button type="button" data-testid="measurement-delete" aria-label={`Delete ${TOOL_LABELS[m.tool]} ${m.label}`} onClick={() => onDelete(m.measurementId)}>
                ×
              </button>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

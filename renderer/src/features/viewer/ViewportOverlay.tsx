import type { StudyDetail } from '../../../../shared/api';
import { formatDate, formatPersonName } from '../../format';
import type { OverlayInfo } from './overlayInfo';
import type { SeriesStack } from './stacks';

interface Props {
  study: StudyDetail;
  stack: SeriesStack;
  index: number;
  info: OverlayInfo | null;
}

const round = (v: number, digits = 0) => (Math.abs(v) < 1e-9 ? 0 : v).toFixed(digits);

/** The corner texts and edge markers over a viewport (no pointer events: the tools get them). */
export function ViewportOverlay({ study, stack, index, info }: Props) {
  const { series } = stack;
  const image = stack.images[index];
  const frames = stack.images.filter((i) => i.sopInstanceUid === image?.sopInstanceUid).length;
  return (
    <div className="nv-overlay" aria-hidden="true">
      <div className="nv-corner nv-tl">
        <div>{formatPersonName(study.patientName)}</div>
        <div>{study.patientId}</div>
        <div>
          {formatDate(study.patientBirthDate)} {study.patientSex}
        </div>
      </div>
      <div className="nv-corner nv-tr">
        <div>{study.studyDescription}</div>
        <div>
          {formatDate(study.studyDate)} {study.accessionNumber || study.localReference}
        </div>
        <div>{study.institutionName}</div>
      </div>
      <div className="nv-corner nv-bl">
        <div>
          Se {series.seriesNumber ?? '–'}: {series.seriesDescription} ({series.modality})
        </div>
        <div data-testid="overlay-image">
          Im {index + 1} / {stack.images.length}
          {frames > 1 && image ? ` (frame ${image.frame} of ${frames})` : ''}
        </div>
        {typeof info?.sliceLocation === 'number' && <div>Loc {round(info.sliceLocation, 1)} mm</div>}
        {typeof info?.sliceThickness === 'number' && <div>Thk {round(info.sliceThickness, 1)} mm</div>}
      </div>
      <div className="nv-corner nv-br">
        {info?.window && (
          <div data-testid="overlay-wl">
            W {round(info.window.width)} L {round(info.window.center)}
          </div>
        )}
        {typeof info?.zoom === 'number' && <div data-testid="overlay-zoom">Zoom {info.zoom.toFixed(2)}×</div>}
      </div>
      {info?.orientation && (
        <>
          <div className="nv-orient nv-top" data-testid="orientation-top">{info.orientation.top}</div>
          <div className="nv-orient nv-bottom">{info.orientation.bottom}</div>
          <div className="nv-orient nv-left" data-testid="orientation-left">{info.orientation.left}</div>
          <div className="nv-orient nv-right">{info.orientation.right}</div>
        </>
      )}
    </div>
  );
}

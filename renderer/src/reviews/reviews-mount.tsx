/** The review dialogs (queue, reports, forms), mounted once by App; only the open one renders. */
import './reviews.css';
import { CalibrationReportView } from '../calibration/calibration-report.tsx';
import { FormsDialog } from './forms-dialog.tsx';
import { ReportsView } from './reports-view.tsx';
import { SampleDialog } from './sample-dialog.tsx';
import type { Reviews } from './use-reviews.ts';

export function ReviewsMount(props: { reviews: Reviews }) {
  const { reviews } = props;
  const close = () => reviews.setDialog(null);
  return (
    <>
      {reviews.dialog === 'sample' && <SampleDialog reviews={reviews} open onClose={close} />}
      {reviews.dialog === 'reports' && <ReportsView reviews={reviews} open onClose={close} />}
      {reviews.dialog === 'calibration' && (
        <CalibrationReportView forms={reviews.forms} reviewer={reviews.reviewer} open onClose={close} />
      )}
      {reviews.dialog === 'forms' && <FormsDialog reviews={reviews} open onClose={close} />}
    </>
  );
}

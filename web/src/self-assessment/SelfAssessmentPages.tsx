export function SelfAssessmentListPage() {
  return null;
}

export function SelfAssessmentPage() {
  return null;
}

/** The sections of a CQC report a finding sits in: what the report importer reads and the demo data set records. */
export type FindingSection =
  | 'Early help'
  | 'Children in need'
  | 'Child protection'
  | 'Looked after children'
  | 'Leadership and management'
  | 'Governance'
  | 'Training and supervision';

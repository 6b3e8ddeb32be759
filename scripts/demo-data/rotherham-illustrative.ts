// The ILLUSTRATIVE layer of the Rotherham 2015 demo: invented progress, ratings and
// evidence laid over the published action plan so that a new user sees every feature of
// Clasp. None of it is Rotherham's real record: the published plan carries no ratings (they
// were cell colours) and no evidence files. Written to
// src/features/demo/data/rotherham-2015-illustrative.json by build-rotherham.ts.
//
// The story runs from the first peer challenge group meeting (13 August 2015) to AS_OF
// (31 July 2016). The group's 2015 meetings are the board paper's (13.08.15, 10.09.15,
// 22.10.15, 19.11.15, 17.12.15); the 2016 meetings are invented, monthly, on a Thursday.
//
// Design (checked by checkDesign below):
//   72 actions end Blue, agreed, with a progress entry; all but two have accepted evidence;
//   13 end Green (on target); 3 Amber and 1 Red, all past their due date with last progress
//   in early 2016 (overdue and stale); 4 actions have no rating at all (no entry);
//   no accepted evidence on 3 Green/Blue actions: 2.3 #2 (evidence submitted, not yet
//   reviewed), 4.11 #1 (evidence rejected, with a reason), 1.1 #4 (Blue with no evidence);
//   the latest proposal differs from the agreed rating on 2 actions: 3.1 #5 and 4.12 #1;
//   2 Green updates await the next meeting (agreedOn null): 2.2 #2 and 3.2 #3.
import type {
  DemoDataset,
  IllustrativeAction,
  IllustrativeEvidence,
  IllustrativeLayer,
  IllustrativeProgress,
  IllustrativeRating,
  Rating,
} from '../../src/features/demo/data/dataset-types.ts';

export const NOTICE =
  'Illustrative data: ratings, evidence and later progress are ' +
  "invented to demonstrate Clasp and are not Rotherham's real record.";

export const AS_OF = '2016-07-31';

export const MEETINGS = [
  '2015-08-13',
  '2015-09-10',
  '2015-10-22',
  '2015-11-19',
  '2015-12-17',
  '2016-01-21',
  '2016-02-18',
  '2016-03-17',
  '2016-04-21',
  '2016-05-19',
  '2016-06-16',
  '2016-07-21',
];

// ---------------------------------------------------------------------------------
// How the specs are written

/** `on`: the evidence's effective date when it is not the date of the action's last update. */
type EvidenceSpec =
  | { kind: 'file'; title: string; on?: string; addedOn?: string; status?: Status }
  | { kind: 'link'; title: string; slug: string; on?: string }
  | { kind: 'note'; title: string; note: string; on?: string };
type Status = { status: 'submitted' | 'rejected'; reason: string };

type Step = {
  date: string;
  text: string;
  rating: Rating;
  /** The group agreed a different rating from the one proposed. */
  agreed?: Rating;
  rationale?: string;
};

type Spec = {
  rec: string;
  index: number;
  steps: Step[];
  evidence: EvidenceSpec[];
};

const file = (title: string, options: { on?: string; addedOn?: string; status?: Status } = {}): EvidenceSpec => ({
  kind: 'file',
  title,
  ...options,
});
const link = (title: string, slug: string, on?: string): EvidenceSpec => ({ kind: 'link', title, slug, on });
const note = (title: string, text: string, on?: string): EvidenceSpec => ({ kind: 'note', title, note: text, on });

/** An action that ends Blue: optional interim Green update, then completion. */
function blue(
  rec: string,
  index: number,
  date: string,
  text: string,
  evidence: EvidenceSpec[],
  interim?: [string, string],
): Spec {
  const steps: Step[] = [];
  if (interim) steps.push({ date: interim[0], text: interim[1], rating: 'green' });
  steps.push({ date, text, rating: 'blue' });
  return { rec, index, steps, evidence };
}

function story(rec: string, index: number, steps: Step[], evidence: EvidenceSpec[] = []): Spec {
  return { rec, index, steps, evidence };
}

const g = (date: string, text: string, extra: Partial<Step> = {}): Step => ({ date, text, rating: 'green', ...extra });
const b = (date: string, text: string, extra: Partial<Step> = {}): Step => ({ date, text, rating: 'blue', ...extra });
const a = (date: string, text: string, extra: Partial<Step> = {}): Step => ({ date, text, rating: 'amber', ...extra });
const r = (date: string, text: string, extra: Partial<Step> = {}): Step => ({ date, text, rating: 'red', ...extra });

// Actions left with no rating at all (no illustrative entry): 1.1 #2, 2.5 #3, 4.7 #6, 4.8 #7.
export const UNRATED: Array<[string, number]> = [
  ['1.1', 1],
  ['2.5', 2],
  ['4.7', 5],
  ['4.8', 6],
];

export const SPECS: Spec[] = [
  // Recommendation 1.1 (GPs)
  blue(
    '1.1',
    0,
    '2015-09-29',
    'Key messages on a single health record, safe storage of records and information ' +
      'governance given at the Practice Managers Forum on 28 July and 29 September 2015.',
    [file('Practice Managers Forum minutes, 29 September 2015')],
  ),
  story(
    '1.1',
    2,
    [
      g(
        '2015-11-16',
        'Hot Topics PLT held on 12 November 2015 and covered child protection case conference reports. ' +
          'Policy template and updated Top Tips in draft.',
      ),
      g('2016-07-14', 'Practice survey closed; results being collated for the November 2016 PLT programme. On target.'),
    ],
    [file('PLT Hot Topics programme, 12 November 2015', { on: '2015-11-16' })],
  ),
  story('1.1', 3, [
    b(
      '2015-08-20',
      'Advice on record storage reissued by email to all GP practices, ' +
        "with the Information Governance Lead's guidance.",
      {
        rationale: "Agreed Blue on the Named GP's verbal update. No evidence has been attached.",
      },
    ),
  ]),
  blue(
    '1.1',
    4,
    '2015-11-05',
    'Self-audit tool issued to all practices; ' +
      'point of prevalence audits added to peer review visits from November 2015.',
    [file('GP practice safeguarding self-audit tool, version 1')],
    [
      '2015-09-24',
      'GMC guidance emailed to all practices on 22 July 2015. ' +
        'Self-audit tool drafted with a group of practice managers.',
    ],
  ),

  // Recommendation 2.1 (self-harm, paediatric ward)
  story(
    '2.1',
    0,
    [
      g(
        '2015-09-03',
        'Two pathways drafted (act of self-harm; acute mental health problem) and awaiting ratification. ' +
          'Training dates set for September.',
      ),
      g(
        '2016-04-14',
        'Pathways ratified and piloted since October 2015; inclusion in the 2016/17 contract confirmed. ' +
          'Pilot evaluation continuing.',
      ),
    ],
    [file('Emergency Department self-harm pathways (ratified)')],
  ),
  blue(
    '2.1',
    1,
    '2015-09-23',
    'Mental health training sessions delivered to paediatric staff on 7, 18 and 23 September 2015; ' +
      'attendance recorded.',
    [file('CAMHS training attendance register, September 2015')],
  ),
  blue(
    '2.1',
    2,
    '2015-08-12',
    'CAMHS Interface Liaison worker in post since 20 July 2015; recurrent funding confirmed by the CCG.',
    [
      note(
        'Funding confirmation',
        'Recurrent funding for the Interface Liaison post confirmed at the August Contract Quality meeting.',
      ),
    ],
  ),
  blue(
    '2.1',
    3,
    '2016-01-14',
    'Audit of staff awareness completed; ' +
      'report and action plan presented to the Provider to Provider meeting in January 2016.',
    [file('Audit report: paediatric staff mental health awareness, January 2016')],
    ['2015-11-12', 'Audit tool agreed; fieldwork planned for December 2015.'],
  ),
  blue(
    '2.1',
    4,
    '2016-06-09',
    'Impact audit of the risk management plans completed; ' +
      'report and action plan agreed at the Provider to Provider meeting.',
    [file('Impact audit of risk management plans, June 2016')],
    ['2016-03-10', 'Risk management plans in use since October 2015; impact audit booked for May 2016.'],
  ),

  // Recommendation 2.2 (perinatal mental health pathway)
  blue(
    '2.2',
    0,
    '2015-10-29',
    'Revised perinatal mental health pathway agreed by the Task and ' +
      'Finish Group and presented to the Joint Safeguarding Meeting.',
    [file('Perinatal mental health pathway, October 2015')],
    ['2015-09-24', 'Task and Finish Group has met twice; comparison with NICE guidance under way.'],
  ),
  story(
    '2.2',
    1,
    [
      g(
        '2015-11-12',
        'Specifications for the stop smoking and substance misuse ' +
          'midwifery services being revised to refer to the new pathway.',
      ),
      g(
        '2016-07-26',
        'Revised specifications issued with the 2016/17 contracts; signed variations awaited from both providers.',
      ),
    ],
    [file('Draft specification extract: perinatal mental health', { on: '2015-11-12' })],
  ),

  // Recommendation 2.3 (referrals to social care)
  blue(
    '2.3',
    0,
    '2015-12-10',
    'Bespoke MARF training delivered in both trusts; attendance lists held by the named nurses.',
    [file('MARF training attendance summary, December 2015')],
    ['2015-09-03', 'Bespoke MARF sessions planned from September 2015.'],
  ),
  story(
    '2.3',
    1,
    [
      g('2015-11-12', 'Audit standards and tool drafted by the Deputy Designated Nurse.'),
      b(
        '2016-01-12',
        'Randomised audits of health referrals into the MASH completed; a report sent to each provider.',
        {
          rationale:
            "Agreed Blue on the Deputy Designated Nurse's verbal report; the audit reports are to follow as evidence.",
        },
      ),
    ],
    [
      file('MASH health referrals audit report, January 2016', {
        on: '2016-01-12',
        addedOn: '2016-07-25',
        status: {
          status: 'submitted',
          reason:
            'Submitted on 25 July 2016, after the group asked for it; ' +
            'awaiting review at the next peer challenge group.',
        },
      }),
    ],
  ),

  // Recommendation 2.4 (record keeping)
  blue(
    '2.4',
    0,
    '2015-09-30',
    'RDaSH record keeping policy reviewed and presented to the Clinical Quality and Standards Group.',
    [file('Record keeping policy review, September 2015')],
  ),
  blue(
    '2.4',
    1,
    '2015-11-05',
    'TRFT safeguarding record keeping policy reissued. ' +
      'RDaSH clinical record keeping audit reported, covering consent and information sharing.',
    [file('Clinical record keeping audit 2015: summary')],
    ['2015-09-24', 'TRFT policy review complete; RDaSH audit fieldwork done in August.'],
  ),

  // Recommendation 2.5 (pharmacies)
  blue(
    '2.5',
    0,
    '2016-01-07',
    'All commissioned pharmacies confirmed level 2 safeguarding children training by 31 December 2015; ' +
      'checked through contract monitoring.',
    [file('Pharmacy safeguarding training compliance, December 2015')],
    ['2015-09-24', 'Pharmacy contracts varied from September 2015; training offered.'],
  ),
  blue(
    '2.5',
    1,
    '2015-09-03',
    'Guidance and referral procedures sent to all Rotherham pharmacies with a refresher update.',
    [link('Pharmacy guidance: STI referral and safeguarding children', 'pharmacy-safeguarding-guidance')],
  ),

  // Recommendation 3.1 (CAMHS lead professional)
  blue(
    '3.1',
    0,
    '2015-09-03',
    'CAMHS Operational Policy reviewed and approved at the Business Division Governance Group.',
    [link('CAMHS Operational Policy (2015 review)', 'camhs-operational-policy-2015')],
  ),
  blue(
    '3.1',
    1,
    '2015-08-12',
    'Weekly allocation meetings running since July 2015; referral status monitored on the electronic system.',
    [file('CAMHS allocation meeting terms of reference')],
  ),
  blue('3.1', 2, '2015-09-03', 'Review complete: every open case is allocated to a care co-ordinator or closed.', [
    file('Unallocated cases review: closing report, August 2015'),
  ]),
  blue(
    '3.1',
    3,
    '2015-10-15',
    'Care co-ordinators write to the GP on allocation using a new letter template; checked in supervision.',
    [file('GP notification letter template (CAMHS)')],
  ),
  story(
    '3.1',
    4,
    [
      g('2015-09-24', 'Workforce review started with commissioners as part of the transformation programme.'),
      b('2016-06-09', 'Workforce development review completed and shared with commissioners.', {
        agreed: 'green',
        rationale:
          'Review complete, but the workforce plan it informs is not yet signed off. Held at Green until it is agreed.',
      }),
    ],
    [file('CAMHS workforce development review, May 2016')],
  ),

  // Recommendation 3.2 (Tier 4 pathway)
  blue(
    '3.2',
    0,
    '2015-10-08',
    'Combined Tier 2/3 service specification agreed and included in the RDaSH 2015/16 contract.',
    [file('Tier 2/3 CAMHS service specification (agreed)')],
  ),
  story(
    '3.2',
    1,
    [
      g('2015-09-24', 'Discussions on a Tier 3+ service started through the SDIP quarterly review.'),
      g('2016-06-09', 'Tier 3+ model agreed in principle for 2016/17; business case with the CCG. On target.'),
    ],
    [
      note(
        'SDIP quarterly review',
        'Tier 3+ discussions minuted at the SDIP quarterly reviews in September 2015 and March 2016.',
      ),
    ],
  ),
  story(
    '3.2',
    2,
    [
      g('2015-12-10', 'Year one action plan of the strategy on track; reported to the CAMHS Partnership group.'),
      g('2016-07-27', '2016/17 action plan agreed; the strategy runs to 2020 with quarterly reporting.'),
    ],
    [link('Emotional Wellbeing and Mental Health Strategy 2015-2020', 'ewmh-strategy-2015-2020', '2015-12-10')],
  ),
  blue(
    '3.2',
    3,
    '2015-09-03',
    'NHS England Tier 4 pathway specification adopted in the CAMHS contract; ' +
      'monitored at the monthly Contract Performance Group.',
    [file('Contract Performance Group minutes extract, August 2015')],
  ),
  blue('3.2', 4, '2015-08-12', 'Tier 4 placement data reported monthly to commissioners since April 2015.', [
    file('Tier 4 placements monthly report, July 2015'),
  ]),
  blue(
    '3.2',
    5,
    '2015-08-12',
    'Interface Liaison post established on 20 July 2015, working with Tier 4, paediatrics and adult mental health.',
    [
      note(
        'Post established',
        'Post holder in place from 20 July 2015, confirmed by the CAMHS Service Manager at the August meeting.',
      ),
    ],
  ),
  blue(
    '3.2',
    6,
    '2015-09-03',
    'Under 18 Admissions policy signed off in August 2015; ' +
      'the admissions database is reported to the CCG in real time.',
    [link('RDaSH Under 18 Admissions to Adult Mental Health Wards policy', 'rdash-under-18-admissions-policy')],
  ),

  // Recommendation 3.3 (documentation, Think Family)
  blue(
    '3.3',
    0,
    '2015-10-01',
    'Think Family documentation reviewed at the joint ED and Safeguarding meetings; revised templates agreed.',
    [file('Revised ED assessment template (Think Family)')],
  ),
  story(
    '3.3',
    1,
    [
      g('2015-10-29', 'Safeguarding pathways in ED evaluated and adapted; re-audit due by April 2016.'),
      g(
        '2016-04-28',
        'Re-audit fieldwork complete; report goes to the Safeguarding Operational Group in August. On target.',
      ),
    ],
    [file('ED safeguarding pathways evaluation, October 2015', { on: '2015-10-29' })],
  ),

  // Recommendation 3.4 (performance management)
  blue(
    '3.4',
    0,
    '2015-09-03',
    'New indicators (flags, decision tree use, conference attendance and reports) ' +
      'added to the KPI template from quarter 2.',
    [file('Safeguarding KPI template, quarter 2 2015/16')],
  ),
  blue(
    '3.4',
    1,
    '2015-10-15',
    'Safeguarding Standard Operating Procedure consulted on and approved.',
    [link('RDaSH Safeguarding Standard Operating Procedure', 'rdash-safeguarding-sop')],
    ['2015-09-24', 'Draft SOP written by the Task and Finish Group; out for consultation.'],
  ),
  story('3.4', 2, [
    g('2015-11-12', 'Compliance audit planned for December 2015.'),
    a('2016-01-14', 'Audit delayed by absence in the clinical audit team; rescheduled to March 2016.', {
      rationale: 'Off target. Remedial plan accepted: audit rescheduled to March 2016. Agreed Amber.',
    }),
  ]),

  // Recommendation 3.5 (CAMHS care plans)
  blue(
    '3.5',
    0,
    '2015-09-03',
    'All staff reminded to use the safeguarding alert; electronic record training now covers flagging.',
    [file('Staff email and training slide on safeguarding alerts, August 2015')],
  ),
  blue(
    '3.5',
    1,
    '2015-10-15',
    'Personalised care plans in place; supervisors have reviewed care plans in supervision since 1 September 2015.',
    [file('Supervision care plan checklist')],
    ['2015-09-24', 'Care co-ordination approach agreed; supervisors briefed.'],
  ),
  blue(
    '3.5',
    2,
    '2015-11-26',
    'Audit of alerts and care plans completed; action plan monitored by the Safeguarding Quality and Standards Group.',
    [file('Audit report: safeguarding alerts and care plans, November 2015')],
  ),

  // Recommendation 3.6 (relapse indicators)
  blue(
    '3.6',
    0,
    '2015-10-08',
    'Information sharing protocols updated to cover sharing relapse indicators with partner services.',
    [link('Information sharing protocol: relapse indicators', 'relapse-indicators-protocol')],
  ),
  blue(
    '3.6',
    1,
    '2016-01-14',
    'Clinical records audit completed; ' +
      'results and action plan reported to the Safeguarding Quality and Standards Group.',
    [file('Relapse indicators records audit, January 2016')],
  ),

  // Recommendation 4.1 (previous attendances)
  blue(
    '4.1',
    0,
    '2015-09-24',
    'Attendances in the previous six months now show for the triage nurse on the ED system.',
    [file('ED system change note: previous attendances at triage')],
  ),
  blue(
    '4.1',
    1,
    '2015-09-24',
    'The paediatric liaison nurse reviews previous attendance data for every record; NHS number used for tracking.',
    [
      note(
        'Liaison practice confirmed',
        'Practice observed and confirmed by the Named Nurse at the September safeguarding and ED liaison meeting.',
      ),
    ],
  ),
  blue(
    '4.1',
    2,
    '2015-10-15',
    'The Emergency Centre IT specification includes previous attendances in the GP notification letter.',
    [file('Emergency Centre IT specification extract')],
  ),
  blue('4.1', 3, '2015-10-15', 'Sign-off box added to the ED record confirming previous attendances were considered.', [
    file('ED record template with sign-off box'),
  ]),
  blue(
    '4.1',
    4,
    '2016-01-28',
    'Audit of actions 1, 2 and 4 reported to the ED Governance ' +
      'meeting and the Strategic Safeguarding Group in January 2016.',
    [file('ED previous attendances audit, December 2015')],
    ['2015-12-10', 'Audit fieldwork under way.'],
  ),

  // Recommendation 4.2 (children of adults attending ED)
  blue('4.2', 0, '2015-08-27', 'Booking form reviewed; a field for dependents added.', [
    file('ED booking form with dependents field'),
  ]),
  blue('4.2', 1, '2015-10-01', 'Face-to-face briefings given to ED staff; attendance recorded by the ED Matron.', [
    file('ED briefing attendance, September 2015'),
  ]),
  blue(
    '4.2',
    2,
    '2016-01-14',
    'Audit of the dependents question completed in November; reported to the governance meetings in January 2016.',
    [file('Audit: recording of dependents in adult ED attendances')],
  ),

  // Recommendation 4.3 (risk assessment in midwifery, CASH and GUM)
  blue(
    '4.3',
    0,
    '2015-09-03',
    'The local CSE risk assessment tool is in use across Integrated Sexual Health Services.',
    [file('CSE risk assessment tool (ISHS)')],
  ),
  blue(
    '4.3',
    1,
    '2015-10-01',
    'Best practice shared at ISHS team meetings; bespoke CSE training delivered by the CSE Specialist Nurse.',
    [
      note(
        'Team meeting minutes seen',
        'ISHS team meeting minutes for September 2015 record the best practice items and the training.',
      ),
    ],
  ),
  blue(
    '4.3',
    2,
    '2015-10-08',
    'Equality and Diversity training compliance checked on ESR; staff out of date booked on courses.',
    [file('ESR compliance report: Equality and Diversity')],
  ),
  blue('4.3', 3, '2015-08-27', 'Letter sent to all staff on using interpreting services in and out of hours.', [
    file('Head of Midwifery letter: interpreting services'),
  ]),
  story(
    '4.3',
    4,
    [
      g('2015-09-24', 'Reminder issued to all midwives; compliance audit set for January 2016.'),
      b(
        '2016-02-04',
        'January 2016 audit found repeat social vulnerability ' +
          'assessments recorded in most records reviewed; re-audit planned.',
      ),
    ],
    [
      file('Reminder email to midwives, September 2015', {
        on: '2015-09-24',
        status: {
          status: 'rejected',
          reason:
            'Shows the reminder was sent, not that assessments are being repeated. Please provide the audit results.',
        },
      }),
      file('Social vulnerability assessment audit, January 2016'),
    ],
  ),
  blue('4.3', 5, '2015-08-27', 'Pre-CAF reminder letter sent to all midwives.', [
    file('Pre-CAF reminder letter to midwives'),
  ]),
  blue('4.3', 6, '2015-12-03', 'Pre-CAF audit completed with the local authority CAF team.', [
    file('Pre-CAF audit, November 2015'),
  ]),
  blue(
    '4.3',
    7,
    '2015-12-10',
    'Dip sampling of maternity and ISHS records done in November; ' +
      'report to the Operational Safeguarding meeting in December.',
    [file('Dip sample report, December 2015')],
  ),

  // Recommendation 4.4 (midwives and health visitors)
  blue(
    '4.4',
    0,
    '2015-10-01',
    'Antenatal pathway and GP EMIS pathway reviewed; information sharing document agreed between disciplines.',
    [file('Midwifery to health visiting information sharing pathway')],
  ),
  blue(
    '4.4',
    1,
    '2015-10-01',
    'Written communication pathway from midwifery to health visiting reviewed and reissued.',
    [link('Midwifery to health visitor communication pathway', 'midwife-hv-communication-pathway')],
  ),
  blue(
    '4.4',
    2,
    '2016-01-14',
    'Pathway audits completed in November and December; findings reported to the governance groups.',
    [file('Midwifery and health visiting communication audit')],
  ),

  // Recommendation 4.5 (GP information at booking)
  blue('4.5', 0, '2015-10-01', 'Point prevalence audit completed over one week in September 2015.', [
    file('Baseline audit: GP information at booking'),
  ]),
  blue('4.5', 1, '2015-11-05', 'Pathway review completed using the audit findings.', [
    file('Booking pathway review summary'),
  ]),
  blue('4.5', 2, '2015-11-12', 'Joint letter from TRFT and the Primary Care GP lead sent to all GPs and midwives.', [
    file('Joint letter to GPs and midwives, November 2015'),
  ]),
  story('4.5', 3, [
    g('2015-11-12', 'Further audit scheduled for January 2016.'),
    r('2016-02-11', 'Further audit not started: the midwifery audit post is vacant and no new date has been set.', {
      rationale: 'Not started. Agreed Red; the Head of Midwifery to bring a date to the next meeting.',
    }),
  ]),

  // Recommendation 4.6 (pre-birth protocol)
  blue(
    '4.6',
    0,
    '2015-10-08',
    'Joint pre-birth and safe discharge protocol agreed, with exception reporting to the LSCB.',
    [link('Pre-birth protocol (RLSCB procedures)', 'pre-birth-protocol')],
  ),
  blue('4.6', 1, '2016-02-04', 'Three-month audit of the protocol completed; breaches reported and actioned.', [
    file('Pre-birth protocol audit, January 2016'),
  ]),
  story(
    '4.6',
    2,
    [
      g('2015-09-10', 'Real-time escalation of discharge delays to the Chief Nurse in place.'),
      g('2016-06-09', 'Escalation continues; delays reported to commissioners each quarter. Kept open for assurance.'),
    ],
    [file('Discharge delay escalation log summary, quarter 4 2015/16')],
  ),
  blue(
    '4.6',
    3,
    '2015-11-26',
    'Monthly midwife and social worker review meetings started in November 2015 with agreed terms of reference.',
    [file('Terms of reference: vulnerable women review meeting')],
  ),

  // Recommendation 4.7 (CASH and GUM, CSE)
  blue('4.7', 0, '2015-11-26', 'The Evolve Manager delivered awareness sessions in October and November 2015.', [
    file('Evolve awareness sessions register'),
  ]),
  blue('4.7', 1, '2015-11-05', 'Completion of CSE awareness training evidenced for all clinicians on ESR.', [
    file('ESR report: CSE awareness training'),
  ]),
  blue('4.7', 2, '2015-10-01', 'Multi-agency CSE risk assessment tool agreed and in use.', [
    link('Multi-agency CSE risk assessment tool', 'cse-risk-assessment-tool'),
  ]),
  blue('4.7', 3, '2015-12-03', 'All ISHS staff trained in the risk assessment tool.', [
    file('Risk assessment tool training record'),
  ]),
  story(
    '4.7',
    4,
    [
      g('2015-11-26', 'First formal ISHS and Evolve meeting held; terms of reference agreed.'),
      g('2016-05-12', 'Monthly meetings continue; attendance and actions logged.'),
    ],
    [file('ISHS and Evolve meeting terms of reference', { on: '2015-11-26' })],
  ),

  // Recommendation 4.8 (health assessments)
  story('4.8', 0, [
    g('2015-10-15', 'Improvement trajectory agreed; weekly tracking of initial health assessments started.'),
    a(
      '2016-02-11',
      'IHAs within 20 working days below trajectory in January; ' +
        'extra paediatric clinics being arranged with social care.',
      {
        rationale: 'Off target with remedial action (extra clinics). Agreed Amber.',
      },
    ),
  ]),
  blue('4.8', 1, '2015-09-03', 'Improvement trajectory agreed between health and social care in August 2015.', [
    file('IHA improvement trajectory'),
  ]),
  story(
    '4.8',
    2,
    [
      g('2015-12-10', 'Review health assessments within timescales for most children; exceptions tracked weekly.'),
      g('2016-06-30', 'Quarter 1 2016/17 timeliness on trajectory; monitoring continues through Corporate Parenting.'),
    ],
    [file('Review health assessment timeliness, quarter 1 2016/17')],
  ),
  blue('4.8', 3, '2015-10-29', 'In-depth audit tool developed and used in October 2015.', [
    file('Voice of the child audit tool'),
  ]),
  blue(
    '4.8',
    4,
    '2016-01-14',
    'Voice of the child audit completed; assessments are now written to and about the child, not in the third person.',
    [file('Voice of the child audit report, December 2015')],
  ),
  blue(
    '4.8',
    5,
    '2015-09-10',
    'GP and CAMHS information requested before every health assessment using a standard letter.',
    [file('Health information request letter')],
  ),
  blue(
    '4.8',
    7,
    '2016-02-04',
    'Compliance audit completed and reported to the Joint Safeguarding Meeting and Corporate Parenting.',
    [file('LAC health assessment compliance audit, January 2016')],
  ),

  // Recommendation 4.9 (SMART health plans)
  blue(
    '4.9',
    0,
    '2015-10-01',
    'Health plans for initial health assessments written by qualified health practitioners on a SMART template.',
    [file('SMART health plan template')],
  ),
  blue('4.9', 1, '2015-12-03', 'Health plans audited with the national tool; findings shared with the LAC team.', [
    file('Health plans audit, November 2015'),
  ]),
  story('4.9', 2, [
    g('2015-10-15', 'Database specification agreed between the CCG and the LAC team.'),
    a('2016-03-10', 'Database build delayed by IT capacity; a spreadsheet tracker is used meanwhile.', {
      rationale: 'Off target; interim tracker accepted as remedial action. Agreed Amber.',
    }),
  ]),
  story(
    '4.9',
    3,
    [
      g('2016-02-04', 'First audit of health recommendations done; re-audit in September 2016 to test improvement.'),
      g('2016-07-14', 'Re-audit sample agreed; on track for September 2016.'),
    ],
    [file('Health recommendations audit, January 2016', { on: '2016-02-04' })],
  ),

  // Recommendation 4.10 (participation in health reviews)
  blue('4.10', 0, '2015-08-27', 'Email reminder on consent sent to all health visitors and school nurses.', [
    file('Email to health visitors and school nurses, August 2015'),
  ]),
  blue(
    '4.10',
    1,
    '2015-12-03',
    'SDQ scores now commented on in health reviews; the November 2015 audit found routine use.',
    [file('SDQ use audit, November 2015')],
  ),
  blue(
    '4.10',
    2,
    '2015-10-15',
    'Health recommendations shared with young people; LAC Council briefed on how to report breaches.',
    [note('LAC Council briefing', 'Briefing to the LAC Council recorded in its October 2015 notes.')],
  ),

  // Recommendation 4.11 (care leavers' health summaries)
  story(
    '4.11',
    0,
    [
      g('2015-09-03', 'Health Passports ordered; delivery awaited.'),
      g('2016-05-12', 'Passports given to children entering care since October 2015.', {
        rationale: 'Held at Green: the evidence was rejected and records of passports issued have been requested.',
      }),
    ],
    [
      file('Purchase order for Health Passports', {
        on: '2015-09-03',
        status: {
          status: 'rejected',
          reason: 'Shows the passports were bought, not that children received them. Please provide issue records.',
        },
      }),
    ],
  ),
  blue(
    '4.11',
    1,
    '2016-02-04',
    'Point prevalence audit of Health Passports completed in January 2016; ' +
      'report to the Safeguarding Operational Meeting.',
    [file('Health Passport audit, January 2016')],
  ),

  // Recommendation 4.12 (paediatric liaison quality assurance)
  story(
    '4.12',
    0,
    [
      g('2015-09-24', 'Review of the paediatric liaison process under way.'),
      b('2016-05-12', 'Review complete; written report and action plan presented to the operational group.', {
        agreed: 'green',
        rationale:
          'Report accepted, but its action plan is not yet in place. ' +
          'Blue once a re-audit shows the changes are embedded.',
      }),
    ],
    [file('Paediatric liaison process review report')],
  ),
  blue(
    '4.12',
    1,
    '2015-10-01',
    'ED safeguarding training data presented at the Safeguarding Operational meeting; ' +
      'exceptions reported to the Joint Safeguarding Meeting.',
    [file('ED safeguarding training data, September 2015')],
  ),
];

// ---------------------------------------------------------------------------------
// Building

function meetingOnOrAfter(date: string): string | null {
  const meeting = MEETINGS.find((m) => m >= date);
  return meeting !== undefined && meeting <= AS_OF ? meeting : null;
}

const MONTH_NAMES = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** "2015-10-22" → "22 October 2015". */
function longDate(iso: string): string {
  const [year, month, day] = iso.split('-').map(Number);
  return `${day ?? ''} ${MONTH_NAMES[(month ?? 1) - 1] ?? ''} ${year ?? ''}`;
}

function slugify(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
}

const DEFAULT_RATIONALE: Record<Rating, string> = {
  blue: 'Completion evidenced; agreed Blue.',
  green: 'Update accepted; work on target. Agreed Green.',
  amber: 'Off target with remedial action. Agreed Amber.',
  red: 'Not started. Agreed Red.',
};

function buildAction(spec: Spec, dataset: DemoDataset): IllustrativeAction {
  const rec = dataset.recommendations.find((x) => x.number === spec.rec);
  const action = rec?.actions[spec.index];
  if (!rec || !action) throw new Error(`illustrative spec refers to a missing action ${spec.rec} #${spec.index + 1}`);
  const progress: IllustrativeProgress[] = spec.steps.map((s) => ({
    date: s.date,
    text: s.text,
    proposedRating: s.rating,
  }));
  const ratings: IllustrativeRating[] = spec.steps.map((s) => {
    const agreedOn = meetingOnOrAfter(s.date);
    const agreedRating = agreedOn ? (s.agreed ?? s.rating) : null;
    let rationale = s.rationale ?? DEFAULT_RATIONALE[agreedRating ?? s.rating];
    if (!agreedOn) rationale = 'Proposed after the last meeting; to be considered at the next peer challenge group.';
    return { rating: s.rating, proposedOn: s.date, agreedOn, agreedRating, rationale };
  });
  const last = spec.steps[spec.steps.length - 1];
  const evidence: IllustrativeEvidence[] = spec.evidence.map((e, i) => {
    const effectiveDate = e.on ?? last?.date ?? '';
    const status = e.kind === 'file' ? e.status : undefined;
    const acceptedAt = meetingOnOrAfter(effectiveDate);
    if (!status && !acceptedAt)
      throw new Error(`${spec.rec} #${spec.index + 1}: accepted evidence after the last meeting`);
    const base = {
      title: e.title,
      effectiveDate,
      // Added to the plan later than the document's date (decided at the first meeting after).
      ...(e.kind === 'file' && e.addedOn ? { addedOn: e.addedOn } : {}),
      status: status?.status ?? ('accepted' as const),
      statusReason: status?.reason ?? `Accepted by the peer challenge group on ${longDate(acceptedAt ?? '')}.`,
    };
    const where = `Recommendation ${spec.rec}, action ${spec.index + 1} (${action.agency})`;
    if (e.kind === 'file') {
      const summary = spec.steps.find((s) => s.date === effectiveDate)?.text ?? last?.text ?? '';
      return {
        kind: 'file',
        ...base,
        fileName: `${spec.rec.replace('.', '-')}-${spec.index + 1}-${i + 1}-${slugify(e.title)}.txt`,
        mediaType: 'text/plain',
        content: [
          e.title,
          where,
          summary,
          "ILLUSTRATIVE: an invented document for the Clasp demonstration, not part of Rotherham's record.",
        ].join('\n'),
      };
    }
    if (e.kind === 'link') return { kind: 'link', ...base, url: `https://example.org/rotherham-clas-2015/${e.slug}` };
    return { kind: 'note', ...base, note: e.note };
  });
  const accepted = evidence.find((e) => e.status === 'accepted');
  for (const rating of ratings) {
    if (rating.agreedRating === 'blue' && rating.rationale === DEFAULT_RATIONALE.blue && accepted) {
      rating.rationale = `Completion evidenced by "${accepted.title}". Agreed Blue.`;
    }
  }
  return { recommendation: spec.rec, index: spec.index, progress, ratings, evidence };
}

export function finalRating(entry: IllustrativeAction): Rating | null {
  const last = entry.ratings[entry.ratings.length - 1];
  if (!last) return null;
  if (last.agreedRating) return last.agreedRating;
  // pending: the last agreed rating stands
  const agreed = [...entry.ratings].reverse().find((x) => x.agreedRating);
  return agreed?.agreedRating ?? last.rating;
}

/** Fails the build if the layer no longer has the shape promised at the top of this file. */
function checkDesign(layer: IllustrativeLayer, dataset: DemoDataset): void {
  const problems: string[] = [];
  const total = dataset.recommendations.reduce((n, rec) => n + rec.actions.length, 0);
  const keys = layer.actions.map((x) => `${x.recommendation}#${x.index}`);
  if (new Set(keys).size !== keys.length) problems.push('duplicate illustrative entries');
  for (const [rec, index] of UNRATED)
    if (keys.includes(`${rec}#${index}`)) problems.push(`${rec}#${index} should have no rating`);
  if (layer.actions.length + UNRATED.length !== total)
    problems.push(`entries (${layer.actions.length}) + unrated (${UNRATED.length}) != actions (${total})`);
  const byRating = (rating: Rating): IllustrativeAction[] => layer.actions.filter((x) => finalRating(x) === rating);
  const counts = {
    blue: byRating('blue').length,
    green: byRating('green').length,
    amber: byRating('amber').length,
    red: byRating('red').length,
  };
  if (counts.blue < Math.round(total * 0.72) || counts.blue > Math.round(total * 0.8))
    problems.push(`blue count ${counts.blue} is not about 75%`);
  if (counts.amber + counts.red < 3 || counts.amber + counts.red > 5) problems.push('need 3-5 amber or red');
  for (const x of [...byRating('amber'), ...byRating('red')]) {
    const lastProgress = x.progress[x.progress.length - 1]?.date ?? '';
    if (!(lastProgress >= '2016-01-01' && lastProgress < '2016-04-01'))
      problems.push(`${x.recommendation}#${x.index}: amber/red should be stale since early 2016`);
  }
  const unevidenced = layer.actions.filter((x) => {
    const rating = finalRating(x);
    return (rating === 'blue' || rating === 'green') && !x.evidence.some((e) => e.status === 'accepted');
  });
  if (unevidenced.length < 2 || unevidenced.length > 3)
    problems.push(`${unevidenced.length} green/blue without accepted evidence`);
  const disputed = layer.actions.filter((x) => {
    const last = x.ratings[x.ratings.length - 1];
    return last !== undefined && last.agreedRating !== null && last.agreedRating !== last.rating;
  });
  if (disputed.length !== 2) problems.push(`${disputed.length} disputed ratings, expected 2`);
  for (const x of layer.actions) {
    if (x.progress.length === 0) problems.push(`${x.recommendation}#${x.index}: no progress`);
    for (const p of x.progress)
      if (!(p.date > dataset.planIssued && p.date <= layer.asOf))
        problems.push(`${x.recommendation}#${x.index}: progress date ${p.date}`);
    const dates = x.progress.map((p) => p.date);
    if (dates.some((d, i) => i > 0 && d < (dates[i - 1] ?? '')))
      problems.push(`${x.recommendation}#${x.index}: progress not oldest first`);
    if (finalRating(x) === 'blue' && !x.ratings.some((rt) => rt.agreedRating === 'blue'))
      problems.push(`${x.recommendation}#${x.index}: blue not agreed`);
  }
  if (problems.length > 0) throw new Error(`illustrative layer design checks failed:\n- ${problems.join('\n- ')}`);
}

export function buildIllustrativeLayer(dataset: DemoDataset): IllustrativeLayer {
  const actions = SPECS.map((spec) => buildAction(spec, dataset)).sort(
    (x, y) =>
      Number(x.recommendation.split('.')[0]) - Number(y.recommendation.split('.')[0]) ||
      Number(x.recommendation.split('.')[1]) - Number(y.recommendation.split('.')[1]) ||
      x.index - y.index,
  );
  const layer: IllustrativeLayer = { notice: NOTICE, asOf: AS_OF, meetings: [...MEETINGS], actions };
  checkDesign(layer, dataset);
  return layer;
}

// Every endpoint the client calls, as data: method, path, the query parameters and body fields
// it sends, and the response fields it reads ("a.b", "list[].field", "[].field" for a top-level
// list). utils/request.js sends only what is declared here and hands pages only the fields
// listed in `reads`; tests/miniprogram/test_contract.py checks all of it against the backend's
// OpenAPI, so the client and the server cannot drift apart.
//
// upload: the multipart field of a file sent with request.upload() (wx.uploadFile).
// download: a file (not JSON) fetched with request.download() (wx.downloadFile, with the
// session header) into a temporary path for <image src>; it reads no fields.
// idempotencyField: the body field carrying a key made once per user action, so a retry or a
// double tap books once. Only GET/PUT and endpoints with such a key are retried on network failure.

const ME = [
  'bound',
  'retiree.id',
  'retiree.name',
  'following[].retiree_id',
  'following[].name',
  'following[].relation',
  'following[].binding_id',
  'following[].can_receive_notices',
  'following[].can_submit_checkin',
  'following[].can_book',
  'following[].can_see_health',
  'following[].deceased',
  'following[].died_on',
];

const CLAIM = [
  'id',
  'year',
  'status_text',
  'receipts[].id',
  'receipts[].category',
  'receipts[].amount_yuan',
  'receipts[].status_text',
  'receipts[].reason',
  'accepted_total_yuan',
  'subsidy',
  'subsidy_yuan',
  'pay_on',
  'next_step',
];

// 信访: one thing the retiree (or family for them) wrote to the unit, its reply and next step.
const CASE = [
  'id',
  'number',
  'kind',
  'body',
  'status',
  'status_text',
  'created_at',
  'due_on',
  'reply',
  'rating',
  'can_rate',
  'next_step',
  'messages[].at',
  'messages[].what',
  'messages[].by',
  'messages[].text',
];

const SOS_STATE = ['id', 'status', 'headline', 'detail', 'call_120', 'raised_at', 'open'];
const SOS_CONTACTS = [
  'can_edit',
  'contacts[].position',
  'contacts[].name',
  'contacts[].relation',
  'contacts[].phone',
];

const RATING = ['source', 'source_label', 'source_id', 'retiree_id', 'label', 'score', 'rated_at'];
const SURVEY = [
  'id',
  'title',
  'intro',
  'closes_at',
  'open',
  'answered',
  'retiree_id',
  'retiree_name',
  'questions[].kind',
  'questions[].text',
  'questions[].options',
  'answers',
];
const MATTER = [
  'id',
  'kind',
  'flow',
  'status',
  'headline',
  'next_step',
  'lines',
  'due_at',
  'decision_note',
  'can_withdraw',
  'can_report_return',
  'can_report_quarter',
];

const CHECKIN = [
  'retiree_id',
  'retiree_name',
  'campaign.year',
  'campaign.closes_on',
  'campaign.is_open',
  'status',
  'status_code',
  'banner',
  'answers',
  'return_reasons',
  'talk_note',
  'submitted_at',
  'submitted_by',
  'has_photo',
  'can_edit',
  'can_submit',
  'next_step',
];

const BOOKING = [
  'id',
  'kind',
  'title',
  'starts_at',
  'retiree_name',
  'quantity',
  'notes',
  'status_code',
  'status_label',
  'waitlist_position',
  'can_cancel',
  'attended',
  'rating',
];

const ACTIVITY = [
  'id',
  'category',
  'title',
  'description',
  'place',
  'starts_at',
  'ends_at',
  'remaining',
  'waitlisted',
  'closes_at',
  'cancel_deadline',
  'max_quantity',
  'status',
  'accessibility',
  'cost',
  'can_sign_up',
  'why_not',
  'has_photo',
  'schedule',
  ...BOOKING.map((f) => `my_booking.${f}`),
];

const INBOX_ENTRY = [
  'id',
  'title',
  'category',
  'urgent',
  'withdrawn',
  'for_retiree_name',
  'is_copy',
  'created_at',
  'read_at',
];

const MEAL_ORDER = [
  'id',
  'date',
  'meal',
  'name',
  'quantity',
  'mode',
  'address',
  'status_code',
  'status_label',
  'waitlist_position',
  'amount_due',
  'cutoff_at',
  'can_cancel',
];

const STANDING = ['id', 'meal', 'weekdays', 'mode', 'quantity', 'diet_notes', 'tag', 'active'];

const RIDE = [
  'id',
  'pickup_address',
  'destination',
  'pickup_at',
  'return_at',
  'passengers',
  'wheelchair',
  'companion_needed',
  'status_code',
  'status_label',
  'status_reason',
  'vehicle.plate',
  'vehicle.description',
  'driver.name',
  'driver.phone',
  'can_cancel',
  'series_id',
];

const SAFECHECK = [
  'retiree_id',
  'retiree_name',
  'eligible',
  'enabled',
  'due_time',
  'quiet_start',
  'quiet_end',
  'today',
  'checked_in_at',
  'checked_in_by',
  'paused_today',
  'pauses[].id',
  'pauses[].kind',
  'pauses[].text',
  'pauses[].current',
  'can_check_in',
  'can_change',
  'next_step',
];

const PREFS = ['wechat_categories', 'quiet_start', 'quiet_end', 'balances'];

const endpoints = {
  // Development only: the demo server's fake WeChat hands out a wx.login code (config.devOpenid).
  fakeLoginCode: {
    method: 'POST',
    path: '/_fake/login-code',
    external: 'fake-wechat',
    auth: false,
    sends: ['openid'],
    reads: ['code'],
  },
  login: {
    method: 'POST',
    path: '/api/v1/auth/wechat',
    auth: false,
    sends: ['code'],
    reads: ['token', ...ME.map((f) => `identity.${f}`)],
  },
  me: { method: 'GET', path: '/api/v1/me', reads: ME },
  bindRetiree: {
    method: 'POST',
    path: '/api/v1/bind/retiree',
    sends: ['code', 'id_tail'],
    reads: ME,
  },
  bindFamily: {
    method: 'POST',
    path: '/api/v1/bind/family',
    sends: ['code', 'display_name'],
    reads: ME,
  },
  family: {
    method: 'GET',
    path: '/api/v1/retirees/{retiree_id}/family',
    reads: [
      '[].id',
      '[].relation',
      '[].display_name',
      '[].can_receive_notices',
      '[].can_submit_checkin',
      '[].can_book',
      '[].can_see_health',
      '[].created_at',
    ],
  },
  inviteFamily: {
    method: 'POST',
    path: '/api/v1/retirees/{retiree_id}/family-invites',
    sends: ['relation', 'can_receive_notices', 'can_submit_checkin', 'can_book', 'can_see_health'],
    reads: ['code', 'relation', 'expires_at'],
  },
  // The retiree changes what a bound family member may do.
  setFamilyRights: {
    method: 'PUT',
    path: '/api/v1/retirees/{retiree_id}/family/{binding_id}/rights',
    sends: ['can_receive_notices', 'can_submit_checkin', 'can_book', 'can_see_health'],
    reads: ['id', 'can_receive_notices', 'can_submit_checkin', 'can_book', 'can_see_health'],
  },
  revokeFamily: {
    method: 'DELETE',
    path: '/api/v1/retirees/{retiree_id}/family/{binding_id}',
    reads: [],
  },
  inbox: {
    method: 'GET',
    path: '/api/v1/inbox',
    query: ['retiree_id', 'before_id', 'limit'],
    reads: ['unread', ...INBOX_ENTRY.map((f) => `data[].${f}`)],
  },
  inboxItem: {
    method: 'GET',
    path: '/api/v1/inbox/{item_id}',
    reads: [...INBOX_ENTRY, 'body', 'link_page'],
  },
  markRead: { method: 'POST', path: '/api/v1/inbox/{item_id}/read', reads: ['id', 'read_at'] },
  preferences: { method: 'GET', path: '/api/v1/notices/preferences', reads: PREFS },
  savePreferences: {
    method: 'PUT',
    path: '/api/v1/notices/preferences',
    sends: ['wechat_categories', 'quiet_start', 'quiet_end'],
    reads: PREFS,
  },
  grantSubscription: {
    method: 'POST',
    path: '/api/v1/notices/subscriptions',
    sends: ['results'],
    reads: PREFS,
  },
  checkin: { method: 'GET', path: '/api/v1/checkin', query: ['retiree_id'], reads: CHECKIN },
  // Satisfaction: the three buttons after a meal or a ride (activities rate on their own page),
  // and the surveys sent to the retiree (answered once).
  pendingRatings: {
    method: 'GET',
    path: '/api/v1/satisfaction/ratings/pending',
    query: ['retiree_id'],
    reads: RATING.map((f) => `data[].${f}`),
  },
  rating: {
    method: 'GET',
    path: '/api/v1/satisfaction/ratings',
    query: ['source', 'source_id', 'retiree_id'],
    reads: RATING,
  },
  rate: {
    method: 'POST',
    path: '/api/v1/satisfaction/ratings',
    sends: ['source', 'source_id', 'retiree_id', 'score'],
    reads: RATING,
  },
  surveys: {
    method: 'GET',
    path: '/api/v1/satisfaction/surveys',
    query: ['retiree_id'],
    reads: SURVEY.map((f) => `data[].${f}`),
  },
  survey: {
    method: 'GET',
    path: '/api/v1/satisfaction/surveys/{survey_id}',
    query: ['retiree_id'],
    reads: SURVEY,
  },
  answerSurvey: {
    method: 'POST',
    path: '/api/v1/satisfaction/surveys/{survey_id}/answers',
    sends: ['retiree_id', 'answers'],
    reads: SURVEY,
  },
  // 报平安: the state, the one tap (a second tap the same day changes nothing), the settings.
  safecheck: { method: 'GET', path: '/api/v1/safecheck', query: ['retiree_id'], reads: SAFECHECK },
  safecheckTap: {
    method: 'POST',
    path: '/api/v1/safecheck/checkin',
    sends: ['retiree_id'],
    reads: SAFECHECK,
  },
  safecheckPlan: {
    method: 'PUT',
    path: '/api/v1/safecheck/plan',
    sends: ['retiree_id', 'enabled', 'due_time', 'quiet_start', 'quiet_end'],
    reads: SAFECHECK,
  },
  safecheckPause: {
    method: 'POST',
    path: '/api/v1/safecheck/pauses',
    sends: ['retiree_id', 'kind', 'starts_on', 'ends_on'],
    reads: SAFECHECK,
  },
  safecheckEndPause: {
    method: 'DELETE',
    path: '/api/v1/safecheck/pauses/{pause_id}',
    query: ['retiree_id'],
    reads: SAFECHECK,
  },
  checkinDraft: {
    method: 'PUT',
    path: '/api/v1/checkin/draft',
    sends: ['retiree_id', 'answers'],
    reads: CHECKIN,
  },
  checkinSubmit: {
    method: 'POST',
    path: '/api/v1/checkin/submit',
    sends: ['retiree_id', 'answers', 'declaration', 'request_id'],
    idempotencyField: 'request_id',
    reads: CHECKIN,
  },
  // A photo for the check-in, sent as multipart form field `upload` by request.upload().
  checkinPhoto: {
    method: 'POST',
    path: '/api/v1/checkin/photo',
    query: ['retiree_id'],
    upload: 'file',
    reads: CHECKIN,
  },
  activities: {
    method: 'GET',
    path: '/api/v1/activities',
    query: ['retiree_id', 'can_join'],
    reads: ['count', ...ACTIVITY.map((f) => `data[].${f}`)],
  },
  activity: {
    method: 'GET',
    path: '/api/v1/activities/{activity_id}',
    query: ['retiree_id'],
    reads: ACTIVITY,
  },
  // The activity's photo (when has_photo), downloaded with the session header.
  activityPhoto: {
    method: 'GET',
    path: '/api/v1/activities/{activity_id}/photo',
    query: ['retiree_id'],
    download: true,
    reads: [],
  },
  signUp: {
    method: 'POST',
    path: '/api/v1/activities/{activity_id}/signup',
    sends: ['retiree_id', 'quantity', 'notes', 'idempotency_key'],
    idempotencyField: 'idempotency_key',
    reads: BOOKING,
  },
  bookings: {
    method: 'GET',
    path: '/api/v1/bookings',
    query: ['retiree_id'],
    reads: BOOKING.map((f) => `[].${f}`),
  },
  cancelBooking: { method: 'POST', path: '/api/v1/bookings/{booking_id}/cancel', reads: BOOKING },
  // The sign-in code of a confirmed booking: shown on the day, scanned by staff.
  attendanceCode: {
    method: 'GET',
    path: '/api/v1/bookings/{booking_id}/code',
    reads: ['booking_id', 'code', 'qr_svg'],
  },
  rateBooking: {
    method: 'POST',
    path: '/api/v1/bookings/{booking_id}/rating',
    sends: ['rating'],
    reads: BOOKING,
  },
  botAsk: {
    method: 'POST',
    path: '/api/v1/bot/ask',
    sends: ['question'],
    reads: [
      'answer',
      'answered',
      'intent',
      'sources[].title',
      'sources[].clause',
      'sources[].excerpt',
      'suggestions',
      'handoff_offered',
      'answer_id',
    ],
  },
  contactCall: {
    method: 'GET',
    path: '/api/v1/contact/call',
    query: ['retiree_id'],
    reads: ['who', 'phone', 'label', 'unit_name'],
  },
  botFeedback: {
    method: 'POST',
    path: '/api/v1/bot/answers/{answer_id}/feedback',
    sends: ['helpful'],
    reads: ['answer_id', 'helpful', 'message'],
  },
  botHandoff: {
    method: 'POST',
    path: '/api/v1/bot/handoff',
    sends: ['question'],
    reads: ['id', 'message'],
  },
  myQuestions: {
    method: 'GET',
    path: '/api/v1/bot/questions',
    reads: ['[].id', '[].at', '[].question', '[].status', '[].staff_answer'],
  },
  mealMenus: {
    method: 'GET',
    path: '/api/v1/meals/menus',
    query: ['retiree_id', 'days'],
    reads: [
      'count',
      'data[].date',
      'data[].meal',
      'data[].cutoff_at',
      'data[].can_book',
      'data[].why_not',
      'data[].options[].id',
      'data[].options[].name',
      'data[].options[].dishes',
      'data[].options[].tags',
      'data[].options[].price',
      'data[].options[].subsidised_price',
      'data[].options[].portions_left',
      'data[].options[].my_order_id',
    ],
  },
  mealOrder: {
    method: 'POST',
    path: '/api/v1/meals/orders',
    sends: [
      'retiree_id',
      'option_id',
      'quantity',
      'mode',
      'address',
      'diet_notes',
      'idempotency_key',
    ],
    idempotencyField: 'idempotency_key',
    reads: MEAL_ORDER,
  },
  mealOrders: {
    method: 'GET',
    path: '/api/v1/meals/orders',
    query: ['retiree_id'],
    reads: ['count', ...MEAL_ORDER.map((f) => `data[].${f}`)],
  },
  cancelMealOrder: {
    method: 'POST',
    path: '/api/v1/meals/orders/{order_id}/cancel',
    reads: MEAL_ORDER,
  },
  standingOrders: {
    method: 'GET',
    path: '/api/v1/meals/standing-orders',
    query: ['retiree_id'],
    reads: ['count', ...STANDING.map((f) => `data[].${f}`)],
  },
  createStandingOrder: {
    method: 'POST',
    path: '/api/v1/meals/standing-orders',
    sends: ['retiree_id', 'meal', 'weekdays', 'mode', 'quantity', 'diet_notes', 'address', 'tag'],
    reads: STANDING,
  },
  stopStandingOrder: {
    method: 'POST',
    path: '/api/v1/meals/standing-orders/{standing_id}/stop',
    reads: STANDING,
  },
  rideDestinations: {
    method: 'GET',
    path: '/api/v1/rides/destinations',
    query: ['retiree_id'],
    reads: ['count', 'data[].id', 'data[].name', 'data[].address', 'data[].kind'],
  },
  requestRide: {
    method: 'POST',
    path: '/api/v1/rides',
    sends: [
      'retiree_id',
      'pickup_address',
      'destination_id',
      'destination_text',
      'pickup_at',
      'return_at',
      'passengers',
      'wheelchair',
      'companion_needed',
      'notes',
      'idempotency_key',
      'repeat',
      'confirm_duplicate',
    ],
    idempotencyField: 'idempotency_key',
    reads: RIDE,
  },
  rides: {
    method: 'GET',
    path: '/api/v1/rides',
    query: ['retiree_id'],
    reads: ['count', ...RIDE.map((f) => `data[].${f}`)],
  },
  cancelRide: {
    method: 'POST',
    path: '/api/v1/rides/{ride_id}/cancel',
    sends: ['reason'],
    reads: RIDE,
  },
  cancelRideSeries: {
    method: 'POST',
    path: '/api/v1/rides/series/{series_id}/cancel',
    reads: ['cancelled'],
  },
  care: {
    method: 'GET',
    path: '/api/v1/visits/care',
    query: ['retiree_id'],
    reads: [
      'retiree_id',
      'retiree_name',
      'staff_name',
      'last_contact_on',
      'last_contact_kind',
      'last_visit_on',
      'last_visit_kind',
      'follow_ups[].text',
      'follow_ups[].due_on',
      'follow_ups[].owner_name',
      'callback_pending',
      'message',
    ],
  },
  careEvent: {
    method: 'POST',
    path: '/api/v1/visits/events',
    sends: ['retiree_id', 'kind', 'detail'],
    reads: ['task_id', 'message'],
  },
  careCallback: {
    method: 'POST',
    path: '/api/v1/visits/callback',
    sends: ['retiree_id', 'note'],
    reads: ['task_id', 'message'],
  },
  // 医疗费补助: the retiree's claims by year, and one receipt sent (a photo, its amount in 分).
  medicalClaims: {
    method: 'GET',
    path: '/api/v1/medical/claims',
    query: ['retiree_id'],
    reads: ['count', 'covered', 'categories', ...CLAIM.map((f) => `data[].${f}`)],
  },
  medicalReceipt: {
    method: 'POST',
    path: '/api/v1/medical/receipts',
    query: ['retiree_id', 'year', 'amount', 'category'],
    upload: 'file',
    reads: ['count', 'covered', 'categories', ...CLAIM.map((f) => `data[].${f}`)],
  },
  // 健康档案: check-up results and hospital stays; every read is logged and listed.
  healthRecord: {
    method: 'GET',
    path: '/api/v1/health-record',
    query: ['retiree_id'],
    reads: [
      'name',
      'entries[].id',
      'entries[].kind',
      'entries[].place',
      'entries[].summary',
      'entries[].in_hospital',
      'entries[].has_report',
      'entries[].when',
      'reads[].at',
      'reads[].reader',
      'reads[].what',
    ],
  },
  healthReport: {
    method: 'GET',
    path: '/api/v1/health-record/entries/{entry_id}/report',
    query: ['retiree_id'],
    download: true,
    reads: [],
  },
  // 遗属: the page of a deceased retiree's bound family.
  survivor: {
    method: 'GET',
    path: '/api/v1/bereavement',
    query: ['retiree_id'],
    reads: [
      'retiree_name',
      'has_case',
      'died_on',
      'what_we_do',
      'tasks[].name',
      'tasks[].status',
      'tasks[].detail',
      'benefits[].name',
      'benefits[].status',
      'benefits[].detail',
      'survivors[].name',
      'survivors[].relation',
      'survivors[].phone',
      'survivors[].subsidy_text',
      'contact_name',
      'contact_phone',
      'contact_text',
      'next_step',
    ],
  },
  // 紧急求助: the alert, its status in plain words, and the emergency contacts.
  sosCurrent: {
    method: 'GET',
    path: '/api/v1/sos/alerts/current',
    query: ['retiree_id'],
    reads: SOS_STATE.map((f) => `alert.${f}`),
  },
  sosRaise: {
    method: 'POST',
    path: '/api/v1/sos/alerts',
    sends: ['retiree_id', 'latitude', 'longitude'],
    reads: SOS_STATE,
  },
  sosContacts: {
    method: 'GET',
    path: '/api/v1/sos/contacts',
    query: ['retiree_id'],
    reads: SOS_CONTACTS,
  },
  saveSosContacts: {
    method: 'PUT',
    path: '/api/v1/sos/contacts',
    sends: ['retiree_id', 'contacts'],
    reads: SOS_CONTACTS,
  },
  // 事项报告: the list with each matter's state, the report form, take back, back home, 近况.
  matters: {
    method: 'GET',
    path: '/api/v1/matters',
    query: ['retiree_id'],
    reads: ['count', 'kinds', ...MATTER.map((f) => `data[].${f}`)],
  },
  reportMatter: {
    method: 'POST',
    path: '/api/v1/matters',
    sends: [
      'retiree_id',
      'kind',
      'destination',
      'depart_on',
      'return_on',
      'purpose',
      'passport_no',
      'organisation',
      'post',
      'title',
      'venue',
      'spouse_name',
      'new_address',
      'also_residence',
      'award',
      'awarded_by',
      'on_date',
      'note',
    ],
    reads: MATTER,
  },
  withdrawMatter: {
    method: 'POST',
    path: '/api/v1/matters/{matter_id}/withdraw',
    sends: ['retiree_id'],
    reads: MATTER,
  },
  matterReturn: {
    method: 'POST',
    path: '/api/v1/matters/{matter_id}/return',
    sends: ['retiree_id', 'returned_on'],
    reads: MATTER,
  },
  matterQuarterly: {
    method: 'POST',
    path: '/api/v1/matters/{matter_id}/quarterly',
    sends: ['retiree_id', 'text'],
    reads: MATTER,
  },
  // 信访: what was written to the unit and its replies, writing a new one, rating a reply;
  // the 意见箱 takes a suggestion with nothing that names the writer.
  cases: {
    method: 'GET',
    path: '/api/v1/cases',
    query: ['retiree_id'],
    reads: ['count', 'kinds', ...CASE.map((f) => `data[].${f}`)],
  },
  submitCase: {
    method: 'POST',
    path: '/api/v1/cases',
    sends: ['retiree_id', 'kind', 'body'],
    reads: CASE,
  },
  caseDetail: {
    method: 'GET',
    path: '/api/v1/cases/{case_id}',
    query: ['retiree_id'],
    reads: CASE,
  },
  rateCase: {
    method: 'POST',
    path: '/api/v1/cases/{case_id}/rating',
    query: ['retiree_id'],
    sends: ['rating', 'comment'],
    reads: CASE,
  },
  suggestionBox: {
    method: 'POST',
    path: '/api/v1/suggestion-box',
    sends: ['body'],
    reads: ['message'],
  },
};

Object.keys(endpoints).forEach((name) => {
  const e = endpoints[name];
  e.name = name;
  e.query = e.query || [];
  e.sends = e.sends || [];
  e.auth = e.auth !== false;
});

module.exports = endpoints;

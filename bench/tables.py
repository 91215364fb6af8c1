"""What the bench data holds: its tables and columns (in COPY order), and the choices rows are drawn from."""

HISTORY_DAYS = 125  # deliveries, inspections and issues spread over the last ~120 days
COUNTRIES = [
    ("CN", "Asia/Shanghai"),
    ("VN", "Asia/Ho_Chi_Minh"),
    ("IN", "Asia/Kolkata"),
    ("TR", "Europe/Istanbul"),
    ("BD", "Asia/Dhaka"),
    ("MX", "America/Mexico_City"),
    ("PT", "Europe/Lisbon"),
    ("TH", "Asia/Bangkok"),
]
CATEGORIES = [
    "Apparel",
    "Electronics",
    "Furniture",
    "Packaging",
    "Plastics",
    "Metal parts",
    "Textiles",
    "Toys",
]
# (share, stage); suppliers in the first six stages trade with us (orders, deliveries, invoices).
STAGES = [
    (0.55, "approved"),
    (0.10, "strategic"),
    (0.08, "pilot"),
    (0.04, "on_hold"),
    (0.03, "suspended"),
    (0.02, "offboarded"),
    (0.12, "vetting"),
    (0.06, "prospect"),
]
TRADING = {"approved", "strategic", "pilot", "on_hold", "suspended", "offboarded"}
# ISO 2859-1 general level II, single sampling: (largest lot, code letter, sample, major Ac at AQL 2.5,
# minor Ac at AQL 4.0); Re is Ac + 1.
SAMPLING = [
    (150, "F", 20, 1, 2),
    (280, "G", 32, 2, 3),
    (500, "H", 50, 3, 5),
    (1200, "J", 80, 5, 7),
    (3200, "K", 125, 7, 10),
    (10000, "L", 200, 10, 14),
]
STAFF = [("admin", 1), ("manager", 2), ("procurement", 12), ("quality", 6)]
TABLES = {  # what the generator fills, with its columns, in load order
    "accounts_user": "id password is_superuser email full_name role timezone language is_active is_staff "
    "date_joined supplier_id",
    "suppliers_supplier": "id name legal_name registration_number country city address timezone website segment "
    "stage stage_changed_at notes created_at updated_at owner_id project_manager_id qc_lead_id",
    "suppliers_productcategory": "id name",
    "suppliers_supplier_categories": "id supplier_id productcategory_id",
    "suppliers_certification": "id standard standard_other number issuer scope valid_from valid_until document "
    "status submitted_at verified_at review_note supplier_id verified_by_id",
    "orders_purchaseorder": "id number ordered_on currency incoterm status pilot sent_at acknowledged_at notes "
    "created_at buyer_id supplier_id",
    "orders_orderline": "id sku description quantity unit unit_price required_on order_id",
    "orders_delivery": "id sequence promised_on original_promised_on quantity_planned shipped_on tracking_reference "
    "quantity_shipped received_on quantity_received status received_by_id supplier_id order_id",
    "audits_qcinspection": "id checkpoint inspected_on lot_number lot_size level aql_major aql_minor code_letter "
    "sample_size major_accept major_reject minor_accept minor_reject critical_defects "
    "major_defects minor_defects defective_units computed_result result override_reason "
    "notes report shared_with_supplier created_at delivery_id inspector_id order_id "
    "supplier_id",
    "communications_supplierissue": "id raised_by_side category severity subject description raised_at status "
    "first_response_at resolved_at resolution_note owner_id raised_by_id "
    "resolved_by_id supplier_id",
    "payments_invoice": "id number invoice_date received_on currency amount payment_terms_days terms_source due_on "
    "status paid_on document notes submitted_at decided_at rejection_reason decided_by_id "
    "order_id submitted_by_id supplier_id",
    "communications_checkinschedule": "id cadence weekday local_time channel starts_on is_active created_by_id "
    "supplier_id",
    "communications_checkin": "id original_date date scheduled_at moved_reason status held_at attendees notes "
    "shared_with_supplier recorded_by_id supplier_id schedule_id",
    "audits_correctiveaction": "id title problem due_on raised_at supplier_owner containment root_cause "
    "corrective_action preventive_action status verification_note raised_by_id "
    "supplier_id",
}

"""A spreadsheet import waiting for its confirmation: three contacts, one of them for a supplier misspelt, so the
preview at /imports/ shows what a bad row looks like."""

from django.core.files.uploadedfile import SimpleUploadedFile

from imports import services

CONTACTS_CSV = """supplier,name,role,title,email,phone,messaging,language,is_primary
Shenzhen Brightway Electronics,Zhou Min,logistics,Shipping coordinator,zhou.min@brightway.example,+86 755 8800 1200,WeChat: zhoumin_bw,Chinese,no
Ningbo Harbor Plastics,Chen Jie,finance,Accounts receivable,chen.jie@harborplastics.example,,,"Chinese, English",no
Shenzen Brightway Electronic,Wu Lei,quality,QC inspector,wu.lei@brightway.example,,,Chinese,no
"""


def seed_import_preview(*, buyer) -> None:
    """Upload a small contacts file as the buyer and run its preview (left for the visitor to confirm)."""
    upload = SimpleUploadedFile("new-contacts.csv", CONTACTS_CSV.encode())
    job = services.import_job_create(by=buyer, kind="contacts", upload=upload)
    services.import_job_preview(job_id=job.pk)

"""Images attached to entries (issue 13.8): stored through the storage API without their
location and camera metadata, served only to their author, refused clearly when too large
or not an image, removed with their entry or account, and included in the exports."""

import io
import json
import zipfile

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from reflect.journal import images
from reflect.journal.models import EntryImage, create_entry

GPS_IFD, MAKE, ORIENTATION = 0x8825, 0x010F, 0x0112


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def entry(alice):
    return create_entry(author=alice, body="The whiteboard after our planning.",
                        written_on=alice.today(), prompt=None, draft=False)


def photo(fmt: str = "JPEG", size=(40, 30), gps: bool = True) -> bytes:
    """A small picture carrying a camera maker, a rotation and a GPS position."""
    image = Image.new("RGB", size, "teal")
    exif = Image.Exif()
    exif[MAKE] = "PhoneCo"
    exif[ORIENTATION] = 6  # taken sideways: rotate 90° to stand upright
    if gps:
        position = exif.get_ifd(GPS_IFD)
        position[1], position[2] = "N", (51.0, 30.0, 12.0)
        position[3], position[4] = "W", (0.0, 7.0, 40.0)
    out = io.BytesIO()
    image.save(out, format=fmt, exif=exif)
    return out.getvalue()


def _attach(client, entry, content: bytes, name="photo.jpg", alt="The whiteboard"):
    upload = SimpleUploadedFile(name, content, content_type="image/jpeg")
    return client.post(reverse("image_attach", args=[entry.pk]), {"image": upload, "alt": alt},
                       follow=True)


def test_the_test_photo_carries_a_location():
    assert Image.open(io.BytesIO(photo())).getexif().get_ifd(GPS_IFD)


def test_it_attaches_an_image_without_its_location_and_shows_it(alice_client, entry):
    response = _attach(alice_client, entry, photo())
    html = response.content.decode()
    assert "Image attached. Only you can see it." in html
    image = EntryImage.objects.get(entry=entry)
    url = reverse("image_file", args=[entry.pk, image.pk])
    assert f'src="{url}" alt="The whiteboard"' in html
    with default_storage.open(image.file.name) as stored:
        kept = Image.open(io.BytesIO(stored.read()))
        exif = kept.getexif()
        assert not exif.get_ifd(GPS_IFD) and MAKE not in exif and ORIENTATION not in exif
        assert kept.size == (30, 40)  # stood upright, as it was taken
    served = alice_client.get(url)
    assert served.status_code == 200 and served["Content-Type"] == "image/jpeg"
    assert {"private", "no-store"} <= set(served["Cache-Control"].split(", "))
    assert not Image.open(io.BytesIO(b"".join(served.streaming_content))).getexif()


def test_it_serves_an_image_to_its_author_only(alice_client, charlie_client, client, entry):
    _attach(alice_client, entry, photo())
    image = EntryImage.objects.get(entry=entry)
    url = reverse("image_file", args=[entry.pk, image.pk])
    assert charlie_client.get(url).status_code == 404
    assert client.get(url).status_code == 302  # to the login page
    delete = reverse("image_delete", args=[entry.pk, image.pk])
    assert charlie_client.post(delete).status_code == 404
    assert charlie_client.post(
        reverse("image_attach", args=[entry.pk]), {"image": SimpleUploadedFile("x.jpg", photo())}
    ).status_code == 404
    assert EntryImage.objects.filter(entry=entry).count() == 1


@pytest.mark.parametrize("content,name,message", [
    (b"just some text", "notes.txt", "This file is not an image Reflect can read"),
    (b"\xff\xd8\xff\xe0" + b"\x00" * 64, "broken.jpg", "not an image Reflect can read"),
])
def test_it_refuses_what_is_not_an_image(alice_client, entry, content, name, message):
    html = _attach(alice_client, entry, content, name).content.decode()
    assert message in html and "Nothing was attached." in html
    assert not EntryImage.objects.exists()


def test_it_refuses_an_image_type_it_does_not_keep(alice_client, entry):
    out = io.BytesIO()
    Image.new("RGB", (8, 8)).save(out, format="BMP")
    html = _attach(alice_client, entry, out.getvalue(), "old.bmp").content.decode()
    assert "This is a BMP, not an image Reflect keeps: attach a JPEG, PNG, WebP or GIF." in html


def test_it_refuses_an_image_over_the_size_limit(alice_client, entry, settings):
    settings.IMAGE_MAX_BYTES = 500
    big = photo(size=(400, 300))
    html = _attach(alice_client, entry, big).content.decode()
    assert "the limit is 0.0 MB" in html and "Nothing was attached." in html
    assert not EntryImage.objects.exists()


def test_it_refuses_too_many_pixels(alice_client, entry, monkeypatch):
    monkeypatch.setattr(images, "MAX_PIXELS", 1_000_000)
    html = _attach(alice_client, entry, photo(size=(1200, 1000), gps=False)).content.decode()
    assert "This image is 1,200 × 1,000 pixels; the limit is 1 megapixels." in html


def test_it_keeps_pngs_as_pngs(alice_client, entry):
    _attach(alice_client, entry, photo("PNG"), "shot.png")
    image = EntryImage.objects.get(entry=entry)
    assert image.content_type == "image/png" and image.file.name.endswith(".png")


def test_it_deletes_the_file_with_the_image_and_with_the_account(
    alice_client, alice, entry, django_capture_on_commit_callbacks
):
    _attach(alice_client, entry, photo())
    first = EntryImage.objects.get(entry=entry)
    with django_capture_on_commit_callbacks(execute=True):
        alice_client.post(reverse("image_delete", args=[entry.pk, first.pk]))
    assert not default_storage.exists(first.file.name)
    _attach(alice_client, entry, photo())
    second = EntryImage.objects.get(entry=entry)
    assert default_storage.exists(second.file.name)
    with django_capture_on_commit_callbacks(execute=True):
        alice.delete()
    assert not default_storage.exists(second.file.name)


def test_it_puts_images_in_the_exports(alice_client, entry):
    _attach(alice_client, entry, photo())
    data = json.loads(alice_client.get(reverse("export_download", args=["json"])).content)
    listed = data["entries"][0]["images"]
    assert listed == [{"file": f"images/{entry.uuid}-1.jpg", "alt": "The whiteboard",
                       "content_type": "image/jpeg", "width": 30, "height": 40}]
    archive = zipfile.ZipFile(io.BytesIO(
        alice_client.get(reverse("export_download", args=["markdown"])).content
    ))
    picture = archive.read(f"reflect/images/{entry.uuid}-1.jpg")
    assert Image.open(io.BytesIO(picture)).size == (30, 40)
    markdown = next(n for n in archive.namelist() if n.startswith("reflect/entries/"))
    assert f'images: ["images/{entry.uuid}-1.jpg"]' in archive.read(markdown).decode()

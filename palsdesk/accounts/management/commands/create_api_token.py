"""Print a new REST API token for a user: send it as `Authorization: Token <token>`."""

from django.core.management.base import BaseCommand, CommandError

from palsdesk.accounts.models import User
from palsdesk.accounts.services import create_api_token


class Command(BaseCommand):
    help = "Create an API token for USERNAME and print it (it is stored only as a hash)."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--name", default="", help="What the token is for, such as 'reporting export'.")

    def handle(self, *args, username, name, **options):
        try:
            user = User.objects.get(username=username)
        except User.DoesNotExist:
            raise CommandError(f"No user called {username!r}.") from None
        if not user.is_active:
            raise CommandError(f"{username!r} is not active; activate the account first.")
        self.stdout.write(create_api_token(user, name=name))
